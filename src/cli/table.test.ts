import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayWidth, formatTable, sanitizeCell, truncate } from './table.js';

describe('displayWidth', () => {
  it('counts terminal cells: wide CJK and emoji 2, combining marks 0', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('模型'), 4);
    assert.equal(displayWidth('e\u0301'), 1); // e + combining acute
    assert.equal(displayWidth('🚀'), 2);
    assert.equal(displayWidth('👩‍🔬'), 2); // ZWJ sequence is one glyph
    assert.equal(displayWidth('ｆｕｌｌ'), 8);
  });
});

describe('truncate', () => {
  it('cuts to the width with an ellipsis, never splitting a wide character', () => {
    assert.equal(truncate('abcdefgh', 5), 'abcd…');
    assert.equal(truncate('abc', 5), 'abc');
    assert.equal(truncate('模型训练', 6), '模型…');
    assert.equal(truncate('模型训练', 5), '模型…');
    assert.equal(displayWidth(truncate('模型训练', 4)), 3);
    assert.equal(truncate('👩‍🔬👩‍🔬', 3), '👩‍🔬…');
  });
});

describe('sanitizeCell', () => {
  it('keeps cells on one line and neutralises terminal escapes', () => {
    assert.equal(sanitizeCell('a\nb\tc'), 'a b c');
    assert.equal(sanitizeCell('\u001b[31mred'), '\u{fffd}[31mred');
  });
});

describe('formatTable', () => {
  it('aligns columns by display width', () => {
    const out = formatTable(
      [
        ['1', '模型', '0.5'],
        ['22', 'bert', '12.25'],
      ],
      { header: ['ID', 'NAME', 'LOSS'], align: ['left', 'left', 'right'] },
    );
    assert.equal(out, ['ID  NAME   LOSS', '1   模型    0.5', '22  bert  12.25'].join('\n'));
  });

  it('truncates long body cells but leaves headers readable', () => {
    const out = formatTable([['a-very-long-experiment-name', 'x']], { header: ['NAME', 'metrics.validation_loss'], maxWidth: 10 });
    const [header, row] = out.split('\n');
    assert.equal(row, 'a-very-lo…  x');
    assert.equal(header, 'NAME        metrics.validation_loss');
  });

  it('pads ragged rows, indents, and trims trailing spaces', () => {
    assert.equal(formatTable([['a', 'b'], ['c']], { indent: '  ' }), '  a  b\n  c');
    assert.equal(formatTable([]), '');
  });
});
