import { describe, expect, it } from 'vitest';
import { mergeTrainees, parsePastedTrainees, traineeProblems, traineesBody } from './trainees';

/** apps/api/test/fixtures/sensitive.ts FIXTURE_ID_NUMBERS[0], [1], [4]. */
const ID_A = '41140219900307123X';
const ID_B = '411402199003071234';
const ID_C = '411403200002290027';

describe('pasting trainees from Excel', () => {
  it('splits tab-separated lines into rows, skipping the header and blank lines', () => {
    const text = `身份证号\t姓名\t是否结业\r\n${ID_A.toLowerCase()}\t 张 三 \t是\r\n\r\n${ID_B}\t李四\t否\n${ID_C}\t王五\n`;
    expect(parsePastedTrainees(text)).toEqual({
      rows: [
        { idNumber: ID_A, name: '张三', completed: true },
        { idNumber: ID_B, name: '李四', completed: false },
        { idNumber: ID_C, name: '王五', completed: true },
      ],
      skipped: [],
    });
  });

  it('recognises the name first by where the digits are, and other separators', () => {
    expect(parsePastedTrainees(`张三\t${ID_A}\t未结业\n李四,${ID_B}\n王五  ${ID_C}  N`)).toEqual({
      rows: [
        { idNumber: ID_A, name: '张三', completed: false },
        { idNumber: ID_B, name: '李四', completed: true },
        { idNumber: ID_C, name: '王五', completed: false },
      ],
      skipped: [],
    });
  });

  it('reports the lines with neither ID number nor name', () => {
    expect(parsePastedTrainees(`${ID_A}\t张三\n\t\t否\n`)).toEqual({
      rows: [{ idNumber: ID_A, name: '张三', completed: true }],
      skipped: [2],
    });
  });

  it('puts pasted rows after the filled ones and drops the blank ones', () => {
    const blank = { idNumber: '', name: ' ', completed: true };
    const filled = { idNumber: ID_A, name: '张三', completed: true };
    const pasted = { idNumber: ID_B, name: '李四', completed: false };
    expect(mergeTrainees([blank, filled, blank], [pasted])).toEqual([filled, pasted]);
  });
});

describe('checking trainee rows', () => {
  it('names what is wrong with each row: missing, malformed, repeated ID numbers and names', () => {
    const problems = traineeProblems([
      { idNumber: ID_A, name: '张三', completed: true },
      { idNumber: '4114021990', name: '李四', completed: true },
      { idNumber: ID_A.toLowerCase(), name: '', completed: true },
      { idNumber: '', name: '王五', completed: true },
    ]);
    expect([...problems]).toEqual([
      [1, ['idNumber.shape']],
      [2, ['idNumber.duplicate', 'name']],
      [3, ['idNumber.required']],
    ]);
  });

  it('sends trimmed rows with upper-case ID numbers', () => {
    expect(
      traineesBody([{ idNumber: ` ${ID_A.toLowerCase()} `, name: ' 张三 ', completed: false }]),
    ).toEqual([{ idNumber: ID_A, name: '张三', completed: false }]);
  });
});
