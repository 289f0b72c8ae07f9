-- report/mathml.lua: the HTML report's maths (MathML, written by pandoc's
-- texmath), spaced as LaTeX spaces it. Two things texmath writes read badly
-- in browsers that stretch fences with the math font's glyph variants
-- (Chromium, Firefox): every pair of plain parentheses becomes a stretchy
-- fence, drawn with space inside ("softmax ( XW )"), and named operators
-- (\operatorname{softmax}, \max, \ln) become <mo> operators with a thick
-- space on both sides, as do the bars of a norm (\lVert W \rVert, written as
-- the relation "parallel to"). Here, before texmath sees the TeX: a plain ( or )
-- becomes {(} or {)} (a parenthesis of the text's size, as LaTeX's own; \left(
-- and \right) stay stretchy), a named operator becomes upright text followed
-- by a thin space where a letter follows ("\ln P" as LaTeX sets it), and the
-- norm's bars the double bar U+2016 as text (neither spaced nor stretched).
-- Only for HTML: the PDF's maths is LaTeX's own.
if FORMAT:match('latex') then return {} end

local NAMED = { 'ln', 'log', 'exp', 'max', 'min', 'arg', 'sup', 'inf' }

local function fix(tex)
  -- keep \left( \right) \bigl( ... stretchy: mark them first
  local t = tex:gsub('\\(left)%(', '\\%1\1'):gsub('\\(right)%)', '\\%1\2')
               :gsub('\\(big[lr]?)%(', '\\%1\1'):gsub('\\(big[lr]?)%)', '\\%1\2')
               :gsub('\\(Big[lr]?)%(', '\\%1\1'):gsub('\\(Big[lr]?)%)', '\\%1\2')
  t = t:gsub('%(', '{(}'):gsub('%)', '{)}'):gsub('\1', '('):gsub('\2', ')')
  t = t:gsub('\\operatorname%s*{([^{}]+)}', '\\text{%1}')
  for _, op in ipairs(NAMED) do
    t = t:gsub('\\' .. op .. '%f[%A]', '\\text{' .. op .. '}')
  end
  -- a thin space between an operator name and a letter or symbol after it
  t = t:gsub('(\\text{%a+})%s+([%a\\])', '%1\\,%2')
  -- the norm's bars: the fence U+2016, not the relation "parallel to"
  t = t:gsub('\\[lr]Vert%f[%A]%s*', '\\text{\u{2016}}'):gsub('\\|', '\\text{\u{2016}}')
  return t
end

return { { Math = function(m) m.text = fix(m.text); return m end } }
