-- copi's safety filter, run by pandoc on every document it converts. Text from a process repo
-- may format, never act: attributes are dropped (no onclick, style or other HTML attributes
-- through pandoc's {…} syntax), links keep only http, https and mailto targets, pictures only
-- data copi embedded or files copi placed beside the typst source. A public document also loses
-- every div with the class fortroligt or confidential (copi cuts them before; this is the
-- second line).

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

local function safe_link(target)
  local scheme = target:match("^%s*([%a][%w+.-]*):")
  if scheme == nil then
    return not target:match("^%s*//")  -- a fragment or a relative name; never another host
  end
  return SCHEMES[scheme:lower()] == true
end

local function safe_picture(source)
  if source:match("^data:image/") then return true end
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

function Pandoc(doc)
  local public = pandoc.utils.stringify(doc.meta["copi-audience"] or "") == "public"
  local marker = pandoc.utils.stringify(doc.meta["copi-marker"] or "")
  local filter = {
    Link = function(el)
      if not safe_link(el.target) then return el.content end
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
      el.attr = clean(el.attr)
      return el
    end,
    Header = function(el) el.attr = clean(el.attr) return el end,
    Code = function(el) el.attr = clean(el.attr) return el end,
    CodeBlock = function(el) el.attr = clean(el.attr) return el end,
    Table = function(el) el.attr = clean(el.attr) return el end,
  }
  return doc:walk(filter)
end
