"""Setting a process up: the starter files, CI workflows, and copi doctor."""
