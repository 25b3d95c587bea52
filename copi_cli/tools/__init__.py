"""The method's tools as worksheets to print, forms to fill in, and answers brought back."""
