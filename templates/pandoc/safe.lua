-- copi's safety filter, run by pandoc on every document it converts. Text from a process repo
-- may format, never act: attributes are dropped (no onclick, style or other HTML attributes
-- through pandoc's {…} syntax), links keep only http, https and mailto targets and anchors in
-- the document (any other becomes its text), pictures only data copi embedded or files copi
-- placed beside the typst source. A public document also loses
-- every div with the class fortroligt or confidential (copi cuts them before; this is the
-- second line).
--
-- Typst: pandoc's writer turns emphasis, links, notes and the like into calls (#emph[x]) and
-- leaves the text after them as it is, so "*x*.at(...)" would continue the call as code
-- (#emph[x].at(...)). After every inline that is not plain text the filter puts an empty typst
-- comment, /**/, which ends any expression and is nothing in markup: what follows stays text,
-- whatever the writer escapes or not.
--
-- Signature blocks: a div of class signatures whose children are divs of class signature (copi's
-- templates write them) is set as a grid, two blocks to a row, each whole on its page. In typst
-- the blocks' content stands between constant calls of the page's copi-signatures function, so
-- whatever a block holds is still written, and escaped, by pandoc; in Word it is a table of two
-- columns (copi keeps its rows from splitting); HTML keeps the divs for its CSS grid; Markdown
-- has the blocks one after another. A span of class blank (a field to fill in) or signing-line
-- (the line to sign on) is a drawn line in PDF and HTML, underscores in Word, dots in Markdown.
--
-- The page's free text (title, subtitle, date, footer, labels, organisation) comes in a JSON
-- file named by the metadata field copi-page, never on pandoc's command line (which has a size
-- limit), and is set as plain strings: the writer escapes them as text. No other metadata is
-- kept (copi's reader takes no YAML or title block from a text, and this is the second line):
-- a template shows metadata as it shows variables, raw in places such as rgb("$primary$").

local SCHEMES = { http = true, https = true, mailto = true }
local KEPT_ATTRIBUTES = { ["custom-style"] = true }
local SECRET_CLASSES = { fortroligt = true, confidential = true }

local function clean(attr)
  local kept = {}
  for key, value in pairs(attr.attributes) do
    if KEPT_ATTRIBUTES[key] then kept[key] = value end
  end
  attr.attributes = kept
  return attr
end

-- A link target as a browser or Word reads it: percent-escapes decoded, whitespace and control
-- characters (a tab inside "java\tscript:") dropped, backslashes taken as slashes (Windows and
-- browsers read \\host\share as //host/share: a UNC path that sends the reader's credentials).
local function readable_target(target)
  local decoded = target:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end)
  return (decoded:gsub("[%c%s]", ""):gsub("\\", "/"))
end

-- Only http, https and mailto, or an anchor the document has (ids): a relative name
-- (../../etc/passwd), a file, another host (//host, \\host) or any other scheme is no link.
local function safe_link(target, ids)
  local readable = readable_target(target)
  if readable:match("^#") then return ids[readable:sub(2)] == true end  -- typst needs the label
  local scheme = readable:match("^([%a][%w+.-]*):")
  return scheme ~= nil and SCHEMES[scheme:lower()] == true
end

local function safe_picture(source)
  if source:match("^data:image/") then return true end
  if FORMAT == "gfm" then  -- Markdown refers to the picture in the process, as the text did
    return not source:match("^%a[%w+.-]*:") and not source:match("^[/\\]")
  end
  return source:match("^[%w_-]+%.%w+$") ~= nil  -- image-1.png, logo.png in typst's root
end

local function is_secret(div)
  for _, class in ipairs(div.classes) do
    if SECRET_CLASSES[class:lower()] then return true end
  end
  return false
end

-- Public: a cut passage's text goes to standard error, marked, for copi's leak check.
local function report_cut(el)
  io.stderr:write("\30copi-cut\31" .. pandoc.utils.stringify(el):gsub("\n", " ") .. "\n")
end

local function has_class(el, name)
  for _, class in ipairs(el.classes) do
    if class == name then return true end
  end
  return false
end

-- A line to write on: (typst call of copi.typst, characters in Word, in Markdown).
local LINES = {
  blank = { "#copi-blank", string.rep("_", 18), string.rep(".", 24) },
  ["signing-line"] = { "#copi-signing-line", string.rep("_", 26), string.rep(".", 34) },
}

local function line_to_write_on(span)
  if FORMAT == "markdown" then return nil end  -- a text's passages cut: still Markdown
  for class, forms in pairs(LINES) do
    if has_class(span, class) then
      if FORMAT == "typst" then return pandoc.RawInline("typst", forms[1]) end
      if FORMAT == "docx" then return pandoc.Str(forms[2]) end
      if FORMAT == "html" or FORMAT == "html5" then
        return pandoc.Span({}, pandoc.Attr("", { class }))
      end
      return pandoc.Str(forms[3])
    end
  end
  return nil
end

local function signature_grid(div)
  if not has_class(div, "signatures") then return nil end
  for _, child in ipairs(div.content) do
    if child.t ~= "Div" or not has_class(child, "signature") then return nil end
  end
  if FORMAT == "typst" then
    local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#copi-signatures(") })
    for _, child in ipairs(div.content) do
      blocks:insert(pandoc.RawBlock("typst", "["))
      blocks:extend(child.content)
      blocks:insert(pandoc.RawBlock("typst", "],"))
    end
    blocks:insert(pandoc.RawBlock("typst", ")"))
    return blocks
  end
  if FORMAT == "docx" then
    local rows = {}
    for i = 1, #div.content, 2 do
      local second = div.content[i + 1]
      rows[#rows + 1] = pandoc.Row({ pandoc.Cell({ div.content[i] }),
                                     pandoc.Cell(second and { second } or {}) })
    end
    local columns = { { pandoc.AlignDefault, 0.5 }, { pandoc.AlignDefault, 0.5 } }
    return pandoc.Table(pandoc.Caption(), columns, pandoc.TableHead(),
                        { { attr = pandoc.Attr(), body = rows, head = {}, row_head_columns = 0 } },
                        pandoc.TableFoot())
  end
  return nil
end

-- Markdown: pandoc escapes a number at the start of a table cell (1\. september) as it would at
-- the start of a line, where it would begin a list; a cell holds no list, so an empty raw
-- inline goes first and the cell reads as it is written.
local function plain_cells(tbl)
  local function each(rows)
    for _, row in ipairs(rows) do
      for _, cell in ipairs(row.cells) do
        for _, block in ipairs(cell.contents) do
          if block.t == "Plain" then block.content:insert(1, pandoc.RawInline(FORMAT, "")) end
        end
      end
    end
  end
  each(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    each(body.head)
    each(body.body)
  end
  each(tbl.foot.rows)
  return tbl
end

local PLAIN = { Str = true, Space = true, SoftBreak = true, LineBreak = true }

-- Inlines of a typst document: an empty comment after each element that is not plain text.
local function fence_calls(inlines)
  local calls = false
  for _, el in ipairs(inlines) do
    if not PLAIN[el.t] then calls = true break end
  end
  if not calls then return nil end  -- plain text only: left as it is, not rebuilt
  local fenced = pandoc.Inlines({})
  for _, el in ipairs(inlines) do
    fenced:insert(el)
    if not PLAIN[el.t] then fenced:insert(pandoc.RawInline("typst", "/**/")) end
  end
  return fenced
end

-- typst reads a line that begins "7. ", "- ", "+ ", "= " or "/ " as a list item, a heading or a
-- term, and pandoc's writer escapes that only at the start of a paragraph: a table cell, a tight
-- list item or a field of the page (the date, "7. december 2026") that begins so gets an empty
-- content block first, and is printed as it is written.
local LINE_START = "#[]/**/"

local function starts_like_markup(inlines)
  local first, second = inlines[1], inlines[2]
  if not first or first.t ~= "Str" then return false end
  local marker = first.text:match("^%d+%.$") or first.text:match("^[-+=/]$")
  return marker ~= nil and (second == nil or second.t == "Space" or second.t == "SoftBreak")
end

local COPI_METADATA = { ["copi-audience"] = true, ["copi-marker"] = true, ["copi-page"] = true }

local function page_metadata(doc)
  local meta = {}
  for key, value in pairs(doc.meta) do
    if COPI_METADATA[key] then meta[key] = pandoc.utils.stringify(value) end
  end
  local name = meta["copi-page"] or ""
  meta["copi-page"] = nil
  if name ~= "" then
    local file = assert(io.open(name, "rb"))
    for key, value in pairs(pandoc.json.decode(file:read("a"), false)) do
      meta[key] = value
    end
    file:close()
  end
  local kept = pandoc.Meta({})
  for key, value in pairs(meta) do kept[key] = pandoc.MetaString(tostring(value)) end
  doc.meta = kept
end

function Pandoc(doc)
  page_metadata(doc)
  local public = pandoc.utils.stringify(doc.meta["copi-audience"] or "") == "public"
  local marker = pandoc.utils.stringify(doc.meta["copi-marker"] or "")
  local ids = {}
  local function known(el) if el.identifier ~= "" then ids[el.identifier] = true end end
  doc:walk({ Header = known, Div = known, Span = known })
  local filter = {
    Link = function(el)
      if not safe_link(el.target, ids) then return el.content end
      el.attr = clean(el.attr)
      return el
    end,
    Image = function(el)
      if not safe_picture(el.src) then return pandoc.Str("") end
      el.attr = clean(el.attr)
      return el
    end,
    Div = function(el)
      if public and is_secret(el) then report_cut(el) return {} end
      if marker ~= "" and is_secret(el) then
        el.content:insert(1, pandoc.Para({pandoc.Strong({pandoc.Str("[" .. marker .. "]")})}))
      end
      el.attr = clean(el.attr)
      return el
    end,
    Span = function(el)
      if public and is_secret(el) then report_cut(el) return {} end
      if marker ~= "" and is_secret(el) then
        el.content:insert(1, pandoc.Space())
        el.content:insert(1, pandoc.Strong({pandoc.Str("[" .. marker .. "]")}))
      end
      local line = line_to_write_on(el)
      if line then return line end
      el.attr = clean(el.attr)
      return el
    end,
    Header = function(el) el.attr = clean(el.attr) return el end,
    Code = function(el) el.attr = clean(el.attr) return el end,
    CodeBlock = function(el) el.attr = clean(el.attr) return el end,
    Table = function(el) el.attr = clean(el.attr) return el end,
  }
  doc = doc:walk(filter)
  doc = doc:walk({ Div = signature_grid })
  if FORMAT == "gfm" then
    doc = doc:walk({ Table = plain_cells })
  end
  if FORMAT == "typst" then
    local author = pandoc.utils.stringify(doc.meta["author"] or "")
    doc = doc:walk({ Inlines = fence_calls })
    doc = doc:walk({ Plain = function(el)
      if starts_like_markup(el.content) then
        el.content:insert(1, pandoc.RawInline("typst", LINE_START))
        return el
      end
    end })
    for key, value in pairs(doc.meta) do
      if type(value) == "string" and starts_like_markup(pandoc.Inlines(value)) then
        doc.meta[key] = pandoc.MetaInlines({ pandoc.RawInline("typst", LINE_START),
                                             pandoc.Str(value) })
      end
    end
    if author ~= "" then  -- the inside of a typst string: no control characters, \ and " escaped
      local inside = author:gsub("%c", " "):gsub("\\", "\\\\"):gsub('"', '\\"')
      doc.meta["author-string"] = pandoc.MetaInlines({ pandoc.RawInline("typst", inside) })
    end
  end
  return doc
end
