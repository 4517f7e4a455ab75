import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from '../apps/api/src/platform/excel.js';
import { idNumberCheckChar } from '../apps/api/src/modules/persons/id-number.rules.js';
import { prng } from './city.rules.js';

// Shangqiu's county-level GB/T 2260 codes (apps/api/reference/henan_admin_divisions.csv).
const COUNTIES = [
  ['411402', '梁园区'],
  ['411403', '睢阳区'],
  ['411421', '民权县'],
  ['411422', '睢县'],
  ['411423', '宁陵县'],
  ['411424', '柘城县'],
  ['411425', '虞城县'],
  ['411426', '夏邑县'],
  ['411481', '永城市'],
] as const;
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强';
const GROUPS = ['农村转移劳动力', '退役军人', '脱贫劳动力', '高校毕业生', '失业人员', ''];

export interface SyntheticPerson {
  name: string;
  idNumber: string;
  sex: '男' | '女';
  phone: string;
  household: string;
  groups: string;
}

/**
 * `count` distinct persons with checksum-valid ID numbers from Shangqiu's counties (seeds 0–9;
 * up to about 13 million persons per seed).
 */
export function* syntheticPersons(count: number, seed: number): Generator<SyntheticPerson> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const seen = new Set<string>();
  while (seen.size < count) {
    const [code, county] = pick(COUNTIES);
    const birth = new Date(Date.UTC(1966, 0, 1) + Math.floor(random() * 40 * 365.25) * 86_400_000);
    const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
    // Each seed draws from its own hundred sequence numbers, so files of different seeds never
    // share an ID number (a shared number with another name would be a real conflict).
    const sequence = String((seed % 10) * 100 + Math.floor(random() * 100)).padStart(3, '0');
    const first17 = `${code}${date}${sequence}`;
    const idNumber = first17 + idNumberCheckChar(first17);
    if (seen.has(idNumber)) continue;
    seen.add(idNumber);
    yield {
      name: pick([...SURNAMES]) + pick([...GIVEN]) + (random() < 0.5 ? pick([...GIVEN]) : ''),
      idNumber,
      sex: Number(sequence) % 2 === 1 ? '男' : '女',
      phone: `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
      household: `商丘市${county}`,
      groups: pick(GROUPS),
    };
  }
}

export const HEADER = ['序号', '姓名', '身份证号码', '性别', '手机号码', '户籍地', '人员类别'];

function cells(person: SyntheticPerson, index: number): string[] {
  return [
    String(index + 1),
    person.name,
    person.idNumber,
    person.sex,
    person.phone,
    person.household,
    person.groups,
  ];
}

export async function writeCsv(file: string, count: number, seed: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${HEADER.join(',')}\n`);
  let index = 0;
  for (const person of syntheticPersons(count, seed)) {
    if (!out.write(`${cells(person, index++).join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeXlsx(file: string, count: number, seed: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('人员');
  sheet.addRow(HEADER).commit();
  let index = 0;
  for (const person of syntheticPersons(count, seed)) sheet.addRow(cells(person, index++)).commit();
  sheet.commit();
  await workbook.commit();
}
