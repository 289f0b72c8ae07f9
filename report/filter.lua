-- report/filter.lua: fills the write-up's placeholders with what
-- `repro tabulate` computed from the results (pandoc 2.17 Lua API).
--
--   {{key}}              inline (in text or inline code): the key's text from values.tsv,
--                        values-timing.tsv or manifest-values.tsv
--   {{table:STUDY}}      alone in a paragraph: tables/STUDY.md, numbered
--   {{tab:STUDY}}        "Table N";  {{fig:NAME}}: "Figure N" (links to them)
--   {{KEY@N}}            the fact KEY (facts.tsv or facts-timing.tsv: a number) with N
--                        decimals and a true minus sign, e.g. {{mlp-arch:best:margin@2}}
--   {{claim:NAME}}       after the sentence that makes claim NAME (report/claims.conf):
--                        "[C7]", a link to the list of claims; where the claim does not
--                        hold on this dataset (MNIST's build fails instead), or cannot be
--                        checked, the mark says so, with its numbers in a note (or its reason)
--   ::: with-original    a Div (or an inline [text]{.with-original} Span) about the
--                        original write-up: kept only when the build was given its
--                        figures (reference:given), dropped on another dataset
--   {{list:NAME}}        alone in a paragraph: the Markdown of tables/NAME.md (a list,
--                        not numbered), in a Div with the identifier NAME (the claims)
--   {{block:manifest}}   alone in a paragraph: the manifest summary, or a
--                        sentence saying that none was written
--   {{block:toc}}        alone in a paragraph: the table of contents (LaTeX's
--                        own; in HTML a numbered list of the level-1 and -2
--                        headings, which the style sheet puts beside the text
--                        on wide screens)
--   ![caption](NAME)     alone in a paragraph: a numbered figure, the file
--                        figures-dir/NAME plus --default-image-extension
--
-- Metadata: values-dir (build/report/<dataset>), figures-dir (figures/<dataset>);
-- the student's author, student-id and course (report/metadata.yaml) become the
-- author line of the title.
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

local facts = {}

local function read_tsv(path, required, into)
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
    ;(into or values)[k] = v
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
  -- "Name, student id N, Course" from the student's metadata file
  local parts = pandoc.List()
  for _, k in ipairs({ 'student', 'student-id', 'course' }) do
    if meta[k] then
      local t = pandoc.utils.stringify(meta[k])
      if k == 'student-id' then t = 'student id ' .. t end
      if t ~= '' then parts:insert(t) end
    end
  end
  if #parts > 0 and not meta.author then
    meta.author = pandoc.MetaInlines(pandoc.read(table.concat(parts, ' · '), 'markdown').blocks[1].content)
  end
  read_tsv(values_dir .. '/values.tsv', true)
  read_tsv(values_dir .. '/values-timing.tsv', true)
  read_tsv(values_dir .. '/claims.tsv', false)
  read_tsv(values_dir .. '/facts.tsv', false, facts)
  read_tsv(values_dir .. '/facts-timing.tsv', false, facts)
  manifest = read_tsv(values_dir .. '/manifest-values.tsv', false)
  return meta
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
  if not latex then
    if #tbl.caption.long > 0 then
      prefix_caption(tbl.caption.long[1].content, 'Table ' .. count.tab)
    end
    return tbl
  end
  -- pandoc's longtable carries no link target of its own: put one in the
  -- caption. A table short enough for a page starts on a new page when the
  -- rest of this one cannot hold it (\keeplines, report/latex-header.tex),
  -- so its caption and rows stay together.
  if #tbl.caption.long > 0 then
    tbl.caption.long[1].content:insert(1,
      pandoc.RawInline('latex', '\\protect\\hypertarget{tab-' .. name .. '}{}'))
  end
  local rows = 0
  for _, body in ipairs(tbl.bodies) do rows = rows + #body.body end
  if rows > 30 then return tbl end
  return { pandoc.RawBlock('latex', '\\keeplines{' .. (rows + 6) .. '}'), tbl }
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
  local blocks = pandoc.read(text, 'markdown').blocks
  -- a longtable steps LaTeX's table counter even without a caption: undo it,
  -- so that the numbers stay those of the HTML
  if latex then blocks:insert(pandoc.RawBlock('latex', '\\addtocounter{table}{-1}')) end
  return blocks
end

-- The table of contents where the text asks for it. LaTeX builds its own; in
-- HTML the headings are numbered here as pandoc's --number-sections numbers
-- them (unnumbered ones skipped), level 1 and 2 only.
local headers = pandoc.List()
local function collect_header(h) headers:insert(h) end

local function toc_block()
  if latex then return pandoc.RawBlock('latex', '\\tableofcontents') end
  local items, sec, sub = pandoc.List(), 0, 0
  for _, h in ipairs(headers) do
    if h.level <= 2 and not h.classes:includes('unnumbered') then
      local num
      if h.level == 1 then sec, sub = sec + 1, 0; num = tostring(sec)
      else sub = sub + 1; num = sec .. '.' .. sub end
      local link = pandoc.Link(pandoc.List({ pandoc.Str(num), pandoc.Space() }) .. h.content,
                               '#' .. h.identifier)
      if h.level == 1 then
        items:insert({ pandoc.Plain({ link }) })
      elseif #items > 0 then
        local last = items[#items]
        if #last < 2 then last[2] = pandoc.BulletList({}) end
        last[2].content:insert({ pandoc.Plain({ link }) })
      end
    end
  end
  return pandoc.Div({ pandoc.BulletList(items) }, pandoc.Attr('TOC', {}, { role = 'doc-toc' }))
end

-- Pass 1b: what is about the original goes when there is no original.
local function with_original(el)
  if not el.classes:includes('with-original') then return nil end
  if values['reference:given'] == 'yes' then return el.content end
  return {}
end

-- Pass 2: tables and figures, numbered in document order.
local function number_para(para)
  local c = para.content
  if #c == 1 and c[1].t == 'Str' then
    local name = c[1].text:match('^{{table:([^{}]+)}}$')
    if name then return table_block(name) end
    if c[1].text == '{{block:manifest}}' then return manifest_blocks() end
    local list = c[1].text:match('^{{list:([^{}]+)}}$')
    if list then
      local path = values_dir .. '/tables/' .. list .. '.md'
      local f = io.open(path, 'r')
      if not f then fail('no list "' .. list .. '" (' .. path .. ')') end
      local text = f:read('a')
      f:close()
      return pandoc.Div(pandoc.read(text, 'markdown').blocks, pandoc.Attr(list))
    end
    if c[1].text == '{{block:toc}}' then return toc_block() end
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

-- An unknown placeholder: one line naming the input file and line where
-- {{key}} first appears (the document tree keeps no positions: the inputs are
-- searched for it), then pandoc stops without writing anything.
local function unknown_placeholder(key)
  local needle, at = '{{' .. key .. '}}', nil
  for _, file in ipairs(PANDOC_STATE.input_files) do
    local f, n = io.open(file, 'r'), 0
    for line in f and f:lines() or function() end do
      n = n + 1
      if not at and line:find(needle, 1, true) then at = file .. ':' .. n end
    end
    if f then f:close() end
    if at then break end
  end
  io.stderr:write('report: ' .. (at or 'report') .. ': no value for placeholder ' .. needle .. '\n')
  os.exit(1)
end

-- A table written in the text itself (with its caption) is numbered in the
-- same sequence, as LaTeX numbers it.
-- Its caption may end in {#NAME}: then {{tab:NAME}} refers to it.
local function number_table(tbl)
  if #tbl.caption.long == 0 then return nil end
  count.tab = count.tab + 1
  local inl = tbl.caption.long[1].content
  local last = inl[#inl]
  local name = last and last.t == 'Str' and last.text:match('^{#([%w-]+)}$')
  if name then
    inl:remove(#inl)
    if #inl > 0 and inl[#inl].t == 'Space' then inl:remove(#inl) end
    numbers.tab[name] = count.tab
    tbl.attr.identifier = 'tab-' .. name
    if latex then
      inl:insert(1, pandoc.RawInline('latex', '\\protect\\hypertarget{tab-' .. name .. '}{}'))
    end
  end
  if not latex then prefix_caption(tbl.caption.long[1].content, 'Table ' .. count.tab) end
  return tbl
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
  local fkey, dec = key:match('^(.+)@(%d)$')
  if fkey then
    local x = tonumber(facts[fkey] or '')
    if not x then fail('no fact for placeholder {{' .. key .. '}}') end
    local t = string.format('%.' .. dec .. 'f', math.abs(x))
    if x < 0 and t:match('[1-9]') then t = '\u{2212}' .. t end
    return t
  end
  local v = values[key]
  if not v then unknown_placeholder(key) end
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

-- The title may name the dataset ({{dataset:name}}).
local function fill_title(meta)
  if not meta.title then return nil end
  local t = pandoc.utils.stringify(meta.title)
  if not t:find('{{', 1, true) then return nil end
  meta.title = pandoc.MetaInlines({ pandoc.Str(fill_text(t)) })
  return meta
end

-- The mark of a cited claim, from claims.tsv.
local function claim_mark(name)
  local no = values['claim:' .. name .. ':no']
  if not no then fail('unknown claim "' .. name .. '" (not in the claims file, or no claims.tsv)') end
  local outcome = values['claim:' .. name .. ':outcome']
  local text = '[' .. no .. ']'
  if outcome == 'does not hold' then
    -- the mark in the sentence, its numbers in a note beside it
    local where = values['dataset:name'] or 'this dataset'
    local nums = values['claim:' .. name .. ':numbers'] or ''
    return pandoc.Span({
      pandoc.Strong({ pandoc.Link(pandoc.Str('[' .. no .. ' does not hold on ' .. where .. ']'),
                                  '#claims') }),
      pandoc.Note({ pandoc.Plain({ pandoc.Str(no .. ' on ' .. where .. ':'), pandoc.Space(),
                                   pandoc.Code(nums) }) }) })
  elseif outcome == 'not testable' then
    text = '[' .. no .. ', not testable here: ' .. (values['claim:' .. name .. ':reason'] or '') .. ']'
  end
  return pandoc.Link(pandoc.Str(text), '#claims')
end

-- A reference {{fig:NAME}} or {{tab:NAME}} becomes a link to its figure or
-- table; text around it in the same Str stays text.
local function fill_str(s)
  if not s.text:find('{{', 1, true) then return nil end
  if not s.text:find('{{%a+:') or not (s.text:find('{{fig:', 1, true) or s.text:find('{{tab:', 1, true)
                                       or s.text:find('{{claim:', 1, true)) then
    return pandoc.Str(fill_text(s.text))
  end
  local out, rest = pandoc.List(), s.text
  while true do
    local a, b, kind, name = rest:find('{{(%a+):([^{}]+)}}')
    while a and kind ~= 'fig' and kind ~= 'tab' and kind ~= 'claim' do
      a, b, kind, name = rest:find('{{(%a+):([^{}]+)}}', b + 1)
    end
    if not a then break end
    if a > 1 then out:insert(pandoc.Str(fill_text(rest:sub(1, a - 1)))) end
    if kind == 'claim' then
      out:insert(claim_mark(name))
    else
      out:insert(pandoc.Link(lookup(kind .. ':' .. name), '#' .. kind .. '-' .. name))
    end
    rest = rest:sub(b + 1)
  end
  if #rest > 0 then out:insert(pandoc.Str(fill_text(rest))) end
  return out
end

-- Inline code may cite a value too (a checksum, say).
local function fill_code(c)
  if not c.text:find('{{', 1, true) then return nil end
  c.text = fill_text(c.text)
  return c
end

-- Generated sentences start in lower case, so that they can follow a
-- lead-in ("likewise: cross-entropy is ahead ..."); where a placeholder opens
-- a sentence of a paragraph (its first word, or after ".", "?" or "!"), the
-- first letter of its text is made upper case.
local function sentence_start(list, i)
  if i == 1 then return true end
  local prev = list[i - 1]
  if prev.t == 'LineBreak' then return true end
  if (prev.t == 'Space' or prev.t == 'SoftBreak') and i > 2 and list[i - 2].t == 'Str' then
    return list[i - 2].text:match('[.?!]$') ~= nil
  end
  return false
end

local function fill_block(block)
  local out, changed = pandoc.List(), false
  for i, el in ipairs(block.content) do
    if el.t == 'Str' and el.text:find('{{', 1, true) then
      local filled = fill_str(el)
      if filled.t == 'Str' then filled = pandoc.List({ filled }) end
      local first = filled[1]
      if sentence_start(block.content, i) and el.text:match('^{{') and first.t == 'Str' then
        first.text = first.text:gsub('^%l', string.upper)
      end
      out:extend(filled)
      changed = true
    else
      out:insert(el)
    end
  end
  if changed then block.content = out; return block end
end

-- Pass 4: no line break between a number and its unit, around "=" or "±"
-- before a number, inside "N to M", or between "Figure" / "Table" and its
-- number (in references and captions too): non-breaking spaces there, in the
-- text and in the filled values. A non-breaking space (U+00A0): LaTeX writes
-- it as ~, HTML keeps it.
local NBSP = '\u{00A0}'
local UNITS = { ['%'] = true, ['s'] = true, ['points'] = true, ['pp'] = true, ['min'] = true }
local function is_num(t) return t:match('^[%(]?[%-−]?%d') ~= nil end
local function ends_num(t) return t:match('%d[%)]?$') ~= nil end
local function unit_of(t) return UNITS[t:gsub('[%.,;:%)]+$', '')] end

local function nbsp_str(s)
  local t = s.text
  if not t:find(' ', 1, true) then return nil end
  t = t:gsub('(%d) (%%)', '%1' .. NBSP .. '%2')
       :gsub('(%d) (points)%f[%A]', '%1' .. NBSP .. '%2'):gsub('(%d) (s)%f[%A]', '%1' .. NBSP .. '%2')
       :gsub(' ± ', NBSP .. '±' .. NBSP)
       :gsub(' = ([%-−]?%d)', NBSP .. '=' .. NBSP .. '%1')
       :gsub('(%d) to ([%-−]?%d)', '%1' .. NBSP .. 'to' .. NBSP .. '%2')
       :gsub('(Figure) (%d)', '%1' .. NBSP .. '%2'):gsub('(Table) (%d)', '%1' .. NBSP .. '%2')
  if t == s.text then return nil end
  s.text = t
  return s
end

-- The text of inline el for the rules above: a Str's, a Link's (a reference).
local function text_of(el)
  if el.t == 'Str' then return el.text end
  if el.t == 'Link' then return pandoc.utils.stringify(el) end
  return nil
end

local function nbsp_inlines(list)
  local changed = false
  local function txt(k) return list[k] and text_of(list[k]) or nil end
  local function space(k) return list[k] and (list[k].t == 'Space' or list[k].t == 'SoftBreak') end
  for i = 2, #list - 1 do
    if space(i) then
      local a, b = txt(i - 1), txt(i + 1)
      local keep = a and b and (
        (ends_num(a) and unit_of(b)) or                               -- 78.23 %
        ((a:match('^Figures?$') or a:match('^Tables?$')) and is_num(b)) or
        ((b == '=' or b == '±') and space(i + 2) and txt(i + 3) and is_num(txt(i + 3))) or
        ((a == '=' or a == '±') and is_num(b)) or                     -- size = 16
        (b == 'to' and ends_num(a) and space(i + 2) and txt(i + 3) and is_num(txt(i + 3))) or
        (a == 'to' and txt(i - 3) and ends_num(txt(i - 3)) and is_num(b))) -- 0.7 to 1.2
      if keep then list[i] = pandoc.Str(NBSP); changed = true end
    end
  end
  if changed then return list end
end

return {
  { Meta = read_meta, Header = collect_header },
  { Div = with_original, Span = with_original },
  { Para = number_para, Table = number_table },
  { Para = fill_block, Plain = fill_block },
  { Str = fill_str, Code = fill_code, Meta = fill_title },
  { Str = nbsp_str },
  { Inlines = nbsp_inlines },
}
