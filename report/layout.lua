-- report/layout.lua: the layout of tables and code in both documents, run
-- by report/rules.mk after report/filter.lua.
--
-- PDF (pandoc's LaTeX writer):
--   Tables   every column as wide as its widest cell that must not wrap (a
--            number, "mean ± sd (n)", a short label), its header in at most
--            two lines; what is left of the text width goes to the columns of
--            running text (a verdict, a note), which wrap. Pandoc sizes
--            columns by the Markdown's dashes, in proportion, so a table of
--            many columns squeezed every one below its content (cells of
--            mean ± sd ran a few points past their column).
--   Code     inline code (a claim's check, its numbers) may break after
--            ":", ";", ",", "_", "=", "-" and around braces: a long
--            identifier no longer runs into the margin; a Div of such
--            text (the list of claims) is set ragged right.
--   Headings a heading right before a table keeps room for its first rows.
-- HTML:
--   Tables   a table with no column of running text loses the dashes'
--            widths and gets the class one-line: report/report.css sets each
--            body cell on one line ("784-128-10" is not broken at its
--            hyphens), headers wrap; a table with running text gets the
--            PDF's proportions, and report.css never breaks a number in it.
--            report.css also lets a table wider than the text column use
--            the window's width, or scroll.
--
-- Widths are those of the PDF tables' type, Latin Modern Roman at 8 pt
-- (\footnotesize, report/latex-header.tex), measured with LuaLaTeX; the text
-- width is that of pandoc's letter paper with 2.5 cm margins (rules.mk). If
-- either changes, src/scripts/check-typeset.sh's overfull check says so.

local latex = FORMAT:match('latex') ~= nil
local html = FORMAT:match('html') ~= nil
if not latex and not html then return {} end

local TEXT_WIDTH = 472.03 -- pt: \textwidth, letter paper, margin=2.5cm
local TABCOLSEP = 3       -- pt: report/latex-header.tex sets it in longtables
local BOLD = 1.16         -- bold against medium, the same text
local SLACK = 1.5         -- pt: each column's margin for rounding
-- Latin Modern Roman 8 pt: advance widths in pt of the ASCII printable
-- characters from "!" (33) to "~" (126), then of the others the tables use.
local ASCII = {
  2.36, 4.016, 7.08, 4.248, 7.08, 6.608, 2.36, 3.304, 3.304, 4.248, 6.608, 2.36, 2.832, 2.36,
  4.248, 4.248, 4.248, 4.248, 4.248, 4.248, 4.248, 4.248, 4.248, 4.248, 4.248, 2.36, 2.36,
  6.608, 6.608, 6.608, 4.016, 6.608, 6.368, 6.016, 6.136, 6.488, 5.784, 5.544, 6.672, 6.368,
  3.064, 4.368, 6.6, 5.312, 7.784, 6.368, 6.608, 5.784, 6.608, 6.256, 4.72, 6.136, 6.368,
  6.368, 8.728, 6.368, 6.368, 5.192, 2.36, 4.248, 2.36, 4.448, 6.368, 2.36, 4.248, 4.72,
  3.776, 4.72, 3.776, 2.6, 4.248, 4.72, 2.36, 2.6, 4.488, 2.36, 7.08, 4.72, 4.248, 4.72,
  4.488, 3.312, 3.352, 3.304, 4.72, 4.488, 6.136, 4.488, 4.488, 3.776, 4.248, 2.36, 4.248,
  4.448,
}
local OTHER = {
  [32] = 2.832, [160] = 2.832, [177] = 6.608, [8722] = 6.608, [8224] = 3.776,
  [8225] = 3.776, [955] = 5.071, [8211] = 4.248, [215] = 6.608, [8805] = 6.703,
  [8804] = 6.703, [233] = 3.776, [963] = 5.461, [8776] = 6.703, [8594] = 8.496,
  [8230] = 5.696, [183] = 6.608, [176] = 3.184,
}
local WIDEST = 8.728 -- a character not measured counts as the widest
local MONO = 4.2     -- Latin Modern Mono, 8 pt: every character

local function str_width(s)
  local w = 0
  for _, c in utf8.codes(s) do
    w = w + (ASCII[c - 32] or OTHER[c] or WIDEST)
  end
  return w
end

-- The lines of a cell's inlines as words: each word's width, and whether a
-- space (a break) follows it. Bold counts wider; inline code in mono.
local function words_of(inlines, bold, out)
  out = out or { { w = 0 } }
  local function add(w) out[#out].w = out[#out].w + w * (bold and BOLD or 1) end
  for _, el in ipairs(inlines) do
    if el.t == 'Str' then
      add(str_width(el.text))
    elseif el.t == 'Space' or el.t == 'SoftBreak' or el.t == 'LineBreak' then
      out[#out + 1] = { w = 0 }
    elseif el.t == 'Code' then
      add(MONO * utf8.len(el.text))
    elseif el.t == 'Math' then
      -- roughly: a command's name sets one symbol, a fraction its parts;
      -- kept on one line (a formula broken after its "=" reads badly)
      local t = el.text:gsub('\\[tdc]?frac', ''):gsub('\\operatorname{(%a+)}', '%1')
                       :gsub('\\[%a]+', 'x'):gsub('[{}_^\\%s,]', '')
      add(str_width(t) * 1.8)
    elseif el.t == 'Strong' then
      words_of(el.content, true, out)
    elseif el.content and el.t ~= 'Note' then
      words_of(el.content, bold, out)
    end
  end
  return out
end

local function cell_words(cell)
  local inl = pandoc.List()
  for _, b in ipairs(cell.contents) do
    if b.content then inl:extend(b.content) end
    inl:insert(pandoc.Space())
  end
  return words_of(inl, false)
end

-- The width of words on one line, and the widest of them.
local function measure_words(words)
  local line, word = 0, 0
  for i, w in ipairs(words) do
    line = line + w.w + (i > 1 and OTHER[32] or 0)
    word = math.max(word, w.w)
  end
  return line, word
end

-- A cell's width on one line, and its widest word.
local function measure(cell) return measure_words(cell_words(cell)) end

-- The narrowest width that sets a header in two lines (greedy, as TeX's
-- ragged lines break): from its widest word up, in steps of a point.
local function two_lines(cell)
  local words = cell_words(cell)
  local _, w = measure_words(words)
  while true do
    local lines, cur = 1, -1
    for _, x in ipairs(words) do
      if x.w > 0 then
        local add = (cur < 0 and 0 or OTHER[32]) + x.w
        if cur >= 0 and cur + add > w then
          lines, cur = lines + 1, x.w
        else
          cur = math.max(cur, 0) + add
        end
      end
    end
    if lines <= 2 then return w end
    w = w + 1
  end
end

local function rows_of(tbl)
  local rows = pandoc.List()
  for _, body in ipairs(tbl.bodies) do
    rows:extend(body.head)
    rows:extend(body.body)
  end
  rows:extend(tbl.foot.rows)
  return rows
end

local function table_widths(tbl)
  local n = #tbl.colspecs
  if n < 2 or not tbl.head.rows[1] or #tbl.head.rows[1].cells ~= n then return nil end
  local avail = TEXT_WIDTH - 2 * (n - 1) * TABCOLSEP
  local line, word = {}, {}
  for c = 1, n do
    line[c] = 0
    word[c] = two_lines(tbl.head.rows[1].cells[c])
  end
  for _, row in ipairs(rows_of(tbl)) do
    if #row.cells ~= n then return nil end -- spans: pandoc's own widths
    for c, cell in ipairs(row.cells) do
      local l, w = measure(cell)
      line[c] = math.max(line[c], l)
      word[c] = math.max(word[c], w)
    end
  end
  -- a column whose widest cell takes more than a third of the width wraps
  local need, fixed, wrap = {}, 0, {}
  for c = 1, n do
    if line[c] > avail / 3 then
      wrap[#wrap + 1] = c
      need[c] = word[c] + SLACK
    else
      need[c] = math.max(line[c], word[c]) + SLACK
      fixed = fixed + need[c]
    end
  end
  if html and #wrap == 0 then
    for c = 1, n do tbl.colspecs[c][2] = pandoc.ColWidthDefault end
    tbl.attr.classes:insert('one-line')
    return tbl
  end
  local wrap_min = 0
  for _, c in ipairs(wrap) do wrap_min = wrap_min + need[c] end
  if fixed + wrap_min > avail then
    -- too wide on one line each: every column wraps at its spaces (a cell's
    -- "(2 of 3 runs)" under its mean ± sd), the room beyond the widest words
    -- shared in proportion to what each column would need more
    local min, more = 0, 0
    for c = 1, n do
      need[c] = word[c] + SLACK
      min, more = min + need[c], more + (line[c] - word[c])
    end
    if min > avail then return nil end -- does not fit: pandoc's widths
    for c = 1, n do
      if more > 0 then need[c] = need[c] + (avail - min) * (line[c] - word[c]) / more end
      tbl.colspecs[c][2] = need[c] / avail
    end
    return tbl
  end
  local left = avail - fixed
  if #wrap > 0 then
    -- the wrapping columns: each its widest word, then what is left shared
    -- in proportion to their text
    local text = 0
    for _, c in ipairs(wrap) do text = text + line[c] end
    for _, c in ipairs(wrap) do need[c] = need[c] + (left - wrap_min) * line[c] / text end
  else
    -- the table fills the width: the room left is shared in proportion
    for c = 1, n do need[c] = need[c] * avail / fixed end
  end
  for c = 1, n do tbl.colspecs[c][2] = need[c] / avail end
  return tbl
end

local SPECIAL = {
  ['\\'] = '\\textbackslash{}', ['{'] = '\\{', ['}'] = '\\}', ['_'] = '\\_', ['#'] = '\\#',
  ['%'] = '\\%', ['&'] = '\\&', ['~'] = '\\textasciitilde{}', ['^'] = '\\textasciicircum{}',
  ['$'] = '\\$',
}
local BREAK_AFTER = { [':'] = true, [';'] = true, [','] = true, ['_'] = true, ['='] = true,
                      ['-'] = true, ['}'] = true }

local LONG_CODE = 24 -- characters: inline code from this length gets break points

-- Inline code longer than a few words: \texttt with break points.
local function code_breaks(code)
  if utf8.len(code.text) < LONG_CODE then return nil end
  local out = {}
  for _, c in utf8.codes(code.text) do
    local ch = utf8.char(c)
    if ch == '{' then out[#out + 1] = '\\allowbreak{}' end
    out[#out + 1] = SPECIAL[ch] or ch
    if BREAK_AFTER[ch] then out[#out + 1] = '\\allowbreak{}' end
  end
  return pandoc.RawInline('latex', '\\texttt{' .. table.concat(out) .. '}')
end

local function has_long_code(walk, el)
  local long = false
  walk(el, { Code = function(c) long = long or utf8.len(c.text) >= LONG_CODE end })
  return long
end

-- A Div of text with long inline code (the list of claims) is set ragged
-- right: a line of code has no stretch, so a justified line of it could
-- only run into the margin.
local function ragged_code(div)
  if not has_long_code(pandoc.walk_block, div) then return nil end
  div.content:insert(1, pandoc.RawBlock('latex', '\\begin{flushleft}'))
  div.content:insert(pandoc.RawBlock('latex', '\\end{flushleft}'))
  return div
end

-- A heading right before a table keeps room for the table's caption, header
-- and first rows (18 lines), not only for lines of text (latex-header.tex's
-- \keeplines before every heading): a long table that breaks to the next
-- page would leave the heading alone at the foot of this one.
local function heading_with_table(blocks)
  local out, changed = pandoc.List(), false
  for i, b in ipairs(blocks) do
    local nxt = blocks[i + 1]
    if b.t == 'Header' and nxt and (nxt.t == 'Table' or
        (nxt.t == 'Div' and nxt.content[1] and nxt.content[1].t == 'Table')) then
      out:insert(pandoc.RawBlock('latex', '\\keeplines{18}'))
      changed = true
    end
    out:insert(b)
  end
  if changed then return out end
end

-- A note holding long inline code (a claim's numbers) is set ragged right,
-- for the same reason.
local function ragged_note(note)
  local first = note.content[1]
  if not first or not first.content or not has_long_code(pandoc.walk_inline, note) then
    return nil
  end
  first.content:insert(1, pandoc.RawInline('latex', '\\raggedright '))
  return note
end

if html then return { { Table = table_widths } } end
return {
  { Blocks = heading_with_table },
  { Div = ragged_code, Note = ragged_note },
  { Table = table_widths, Code = code_breaks },
}
