-- report/filter.lua: fills the write-up's placeholders with what
-- `repro tabulate` computed from the results (pandoc 2.17 Lua API).
--
--   {{key}}              inline (in text or inline code): the key's text from values.tsv,
--                        values-timing.tsv or manifest-values.tsv
--   {{table:STUDY}}      alone in a paragraph: tables/STUDY.md, numbered
--   {{tab:STUDY}}        "Table N";  {{fig:NAME}}: "Figure N"
--   {{block:manifest}}   alone in a paragraph: the manifest summary, or a
--                        sentence saying that none was written
--   ![caption](NAME)     alone in a paragraph: a numbered figure, the file
--                        figures-dir/NAME plus --default-image-extension
--
-- Metadata: values-dir (build/report/<dataset>), figures-dir (figures/<dataset>).
-- A missing key, table, figure or reference is an error naming it, so pandoc
-- fails and no report is written with a hole in it. Numbers are assigned in
-- document order, the order LaTeX numbers its floats in, so "Table N" in the
-- text matches LaTeX's own caption numbers; other formats get the number
-- written into the caption.

local values = {}
local manifest = nil -- ordered {key, text} pairs, or nil when there is none
local values_dir, figures_dir
local numbers = { tab = {}, fig = {} }
local count = { tab = 0, fig = 0 }
local latex = FORMAT:match('latex') ~= nil

local function fail(msg)
  error('report: ' .. msg, 0)
end

local function read_tsv(path, required)
  local f = io.open(path, 'r')
  if not f then
    if required then fail('cannot read ' .. path .. ' (run repro tabulate first)') end
    return nil
  end
  local rows, n = {}, 0
  for line in f:lines() do
    n = n + 1
    local k, v = line:match('^([^\t]+)\t(.*)$')
    if not k then fail(path .. ':' .. n .. ': expected key<TAB>text') end
    values[k] = v
    rows[#rows + 1] = { k, v }
  end
  f:close()
  return rows
end

local function read_meta(meta)
  values_dir = meta['values-dir'] and pandoc.utils.stringify(meta['values-dir'])
  figures_dir = meta['figures-dir'] and pandoc.utils.stringify(meta['figures-dir'])
  if not values_dir or not figures_dir then
    fail('metadata values-dir and figures-dir must be set')
  end
  read_tsv(values_dir .. '/values.tsv', true)
  read_tsv(values_dir .. '/values-timing.tsv', true)
  manifest = read_tsv(values_dir .. '/manifest-values.tsv', false)
end

-- The inlines of a one-paragraph Markdown text.
local function inlines_of(text)
  local doc = pandoc.read(text, 'markdown')
  if #doc.blocks == 0 then return pandoc.List() end
  return doc.blocks[1].content
end

local function prefix_caption(inlines, label)
  inlines:insert(1, pandoc.Space())
  inlines:insert(1, pandoc.Str(label .. ':'))
end

local function table_block(name)
  local path = values_dir .. '/tables/' .. name .. '.md'
  local f = io.open(path, 'r')
  if not f then fail('no table for study "' .. name .. '" (' .. path .. ')') end
  local text = f:read('a')
  f:close()
  local blocks = pandoc.read(text, 'markdown').blocks
  local tbl = nil
  for _, b in ipairs(blocks) do
    if b.t == 'Table' then tbl = b end
  end
  if not tbl then fail(path .. ': no table in it') end
  count.tab = count.tab + 1
  numbers.tab[name] = count.tab
  tbl.attr.identifier = 'tab-' .. name
  if not latex and #tbl.caption.long > 0 then
    prefix_caption(tbl.caption.long[1].content, 'Table ' .. count.tab)
  end
  return tbl
end

local function manifest_blocks()
  if not manifest or #manifest == 0 then
    return pandoc.Para(inlines_of(
      'No manifest was written for this build: `make report` writes one with ' ..
      '`repro manifest`, and `make verify` compares a rerun against it.'))
  end
  local rows = {}
  for _, kv in ipairs(manifest) do
    rows[#rows + 1] = '| ' .. kv[1]:gsub('|', '\\|') .. ' | ' .. kv[2]:gsub('|', '\\|') .. ' |'
  end
  local text = '| item | value |\n|:--|:--|\n' .. table.concat(rows, '\n') .. '\n'
  return pandoc.read(text, 'markdown').blocks
end

-- Pass 2: tables and figures, numbered in document order.
local function number_para(para)
  local c = para.content
  if #c == 1 and c[1].t == 'Str' then
    local name = c[1].text:match('^{{table:([^{}]+)}}$')
    if name then return table_block(name) end
    if c[1].text == '{{block:manifest}}' then return manifest_blocks() end
  end
  if #c == 1 and c[1].t == 'Image' and c[1].title:match('^fig:') then
    local img = c[1]
    local name = img.src:gsub('%.[%w]+$', '')
    local path = figures_dir .. '/' .. img.src
    local f = io.open(path, 'r')
    if not f then fail('figure "' .. name .. '" missing: ' .. path .. ' (run repro plot)') end
    f:close()
    img.src = path
    count.fig = count.fig + 1
    numbers.fig[name] = count.fig
    img.attr.identifier = 'fig-' .. name
    if not latex then prefix_caption(img.caption, 'Figure ' .. count.fig) end
    return para
  end
end

-- Pass 3: inline placeholders.
local function lookup(key)
  local kind, name = key:match('^(%a+):(.+)$')
  if kind == 'tab' or kind == 'fig' then
    local n = numbers[kind][name]
    if not n then fail('reference to unknown ' .. (kind == 'tab' and 'table' or 'figure') ..
                       ' "' .. name .. '"') end
    return (kind == 'tab' and 'Table ' or 'Figure ') .. n
  end
  local v = values[key]
  if not v then fail('no value for placeholder {{' .. key .. '}}') end
  if v == '' then fail('empty value for placeholder {{' .. key .. '}}') end
  return v
end

local function fill_text(text)
  local out = text:gsub('{{([^{}]+)}}', lookup)
  if out:find('{{', 1, true) or out:find('}}', 1, true) then
    fail('unbalanced placeholder in "' .. text .. '"')
  end
  return out
end

local function fill_str(s)
  if not s.text:find('{{', 1, true) then return nil end
  return pandoc.Str(fill_text(s.text))
end

-- Inline code may cite a value too (a checksum, say).
local function fill_code(c)
  if not c.text:find('{{', 1, true) then return nil end
  c.text = fill_text(c.text)
  return c
end

return {
  { Meta = read_meta },
  { Para = number_para },
  { Str = fill_str, Code = fill_code },
}
