import type * as Excel from 'exceljs';
import ExcelJS from '../../platform/excel.js';
import { chineseDate, highlightsLaggards } from './statistics.reports.rules.js';
import type { ReportContent } from './statistics.reports.js';
import { MEASURES, type Measure } from './statistics.schema.js';

/*
 * A report as bureaus circulate it: one sheet per table (附件1 县区, 附件2 市直部门, 十二项计划),
 * each with a merged title row, a subtitle (统计时间, 截至, 时间进度, units), two header rows
 * (a group per measure: 本期, 累计, 年度目标, 完成率, 排名), the rows, a 合计 row, laggards filled
 * from the weekly dispatch on, and the definitions (口径说明) underneath.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const MEASURE_HEADERS: Record<Measure, { name: string; unit: string; unit10k: string }> = {
  training: { name: '培训人次', unit: '人次', unit10k: '万人次' },
  skilled: { name: '新增技能人才', unit: '人', unit10k: '万人' },
  high_skilled: { name: '新增高技能人才', unit: '人', unit10k: '万人' },
};
const SUB_HEADERS = ['本期', '累计', '年度目标', '完成率', '排名'] as const;
const FIRST_MEASURE_COLUMN = 3;
const COLUMNS = FIRST_MEASURE_COLUMN - 1 + MEASURES.length * SUB_HEADERS.length;
const HEADER_ROWS = 4;

/** Number formats: actuals in 人次/人, targets in 万 with up to 4 decimals, progress in percent. */
export const FORMATS = { count: '0', target10k: '0.0###', percent: '0.0%', rank: '0' } as const;

const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
export const LAGGARD_FILL = 'FFFFC7CE';
const HEADER_FILL = 'FFD9E1F2';

interface SheetRow {
  no: number | string;
  name: string;
  measures: Record<
    Measure,
    {
      period: number;
      ytd: number;
      target: number | null;
      progress: number | null;
      rank?: number | null;
      status: string;
    }
  >;
  laggard?: boolean;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function setCell(cell: Excel.Cell, value: number | string | null, numFmt?: string) {
  cell.value = value;
  if (numFmt && typeof value === 'number') cell.numFmt = numFmt;
}

function addTable(
  workbook: Excel.Workbook,
  content: ReportContent,
  sheetName: string,
  table: { title: string; rows: SheetRow[]; total?: SheetRow; nameHeader: string },
  notes: string[],
) {
  const sheet: Excel.Worksheet = workbook.addWorksheet(sheetName, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROWS }],
  });
  sheet.columns = [
    { width: 6 },
    { width: 28 },
    ...MEASURES.flatMap(() => [
      { width: 10 },
      { width: 10 },
      { width: 11 },
      { width: 9 },
      { width: 7 },
    ]),
  ];

  const title = sheet.getCell(1, 1);
  title.value = `${content.title}\u3000${table.title}`;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.mergeCells(1, 1, 1, COLUMNS);
  sheet.getRow(1).height = 30;

  const subtitle = sheet.getCell(2, 1);
  subtitle.value =
    `统计时间：${chineseDate(content.period.start)}—${chineseDate(content.period.end)}\u3000` +
    `截至：${chineseDate(content.asOf)}\u3000时间进度：${percent(content.elapsedShare)}\u3000` +
    `单位：本期、累计为人次、人；年度目标为万人次、万人`;
  subtitle.alignment = { horizontal: 'left', vertical: 'middle' };
  sheet.mergeCells(2, 1, 2, COLUMNS);

  const header = (row: number, column: number, text: string) => {
    const cell = sheet.getCell(row, column);
    cell.value = text;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
  };
  header(3, 1, '序号');
  header(3, 2, table.nameHeader);
  sheet.mergeCells(3, 1, 4, 1);
  sheet.mergeCells(3, 2, 4, 2);
  MEASURES.forEach((m, k) => {
    const first = FIRST_MEASURE_COLUMN + k * SUB_HEADERS.length;
    header(3, first, MEASURE_HEADERS[m].name);
    sheet.mergeCells(3, first, 3, first + SUB_HEADERS.length - 1);
    SUB_HEADERS.forEach((sub, i) => {
      const text =
        sub === '年度目标'
          ? `年度目标（${MEASURE_HEADERS[m].unit10k}）`
          : sub === '本期' || sub === '累计'
            ? `${sub}（${MEASURE_HEADERS[m].unit}）`
            : sub;
      header(4, first + i, text);
    });
  });
  sheet.getRow(4).height = 30;

  const highlight = highlightsLaggards(content.kind);
  const writeRow = (row: SheetRow, bold: boolean) => {
    const r = sheet.addRow([]);
    setCell(r.getCell(1), row.no, FORMATS.rank);
    setCell(r.getCell(2), row.name);
    MEASURES.forEach((m, k) => {
      const c = row.measures[m];
      const first = FIRST_MEASURE_COLUMN + k * SUB_HEADERS.length;
      setCell(r.getCell(first), c.period, FORMATS.count);
      setCell(r.getCell(first + 1), c.ytd, FORMATS.count);
      setCell(
        r.getCell(first + 2),
        c.target === null ? null : c.target / 10_000,
        FORMATS.target10k,
      );
      setCell(r.getCell(first + 3), c.progress, FORMATS.percent);
      setCell(r.getCell(first + 4), c.rank ?? null, FORMATS.rank);
      if (highlight && !bold && c.status === 'behind') {
        r.getCell(first + 3).fill = {
          type: 'pattern',
          pattern: 'solid',
          fgColor: { argb: LAGGARD_FILL },
        };
      }
    });
    if (highlight && !bold && row.laggard) {
      r.getCell(2).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: LAGGARD_FILL } };
    }
    if (bold) r.font = { bold: true };
  };
  for (const row of table.rows) writeRow(row, false);
  if (table.total) writeRow(table.total, true);

  for (let r = 3; r <= sheet.rowCount; r += 1) {
    for (let c = 1; c <= COLUMNS; c += 1) {
      const cell = sheet.getCell(r, c);
      cell.border = BORDER;
      if (r > HEADER_ROWS && c !== 2) cell.alignment = { horizontal: 'center' };
    }
  }

  const footnotes = [
    '口径说明：',
    ...content.definitions.map((d) => `${d.name.zh}（${d.unit.zh}）：${d.definition.zh}`),
    `归属规则：${content.attribution.zh}`,
    `完成率 = 累计 ÷ 年度目标；排名按完成率；时间进度为截至日期已过的全年天数比例${
      highlight ? '，完成率低于时间进度的单元格标红' : ''
    }。`,
    ...notes,
  ];
  for (const text of footnotes) {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, COLUMNS);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    row.height = text.length > 60 ? 15 * Math.ceil(text.length / 80) : 15;
  }
  return sheet;
}

const ANNEX_NOTE = '附件1（县区）与附件2（市直部门）口径相互重叠，两表合计不可相加。';

/** The report's workbook (xlsx bytes), drawn from its kept content. */
export async function reportWorkbook(content: ReportContent): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '商丘市技能人才管理平台';
  workbook.created = new Date(content.generatedAt);
  const unitRows = (rows: ReportContent['annex1']['rows']): SheetRow[] =>
    rows.map((r, i) => ({ no: i + 1, name: r.name, measures: r.measures, laggard: r.laggard }));
  addTable(
    workbook,
    content,
    '县区',
    {
      title: content.annex1.title,
      nameHeader: '县（市、区）',
      rows: unitRows(content.annex1.rows),
      total: { no: '', name: '合计', measures: content.annex1.total.measures },
    },
    [ANNEX_NOTE],
  );
  addTable(
    workbook,
    content,
    '市直部门',
    {
      title: content.annex2.title,
      nameHeader: '单位',
      rows: unitRows(content.annex2.rows),
      total: { no: '', name: '合计', measures: content.annex2.total.measures },
    },
    [ANNEX_NOTE],
  );
  addTable(
    workbook,
    content,
    '十二项计划',
    {
      title: content.plans.title,
      nameHeader: '计划',
      rows: content.plans.rows.map((p) => ({
        no: p.planNo,
        name: p.name,
        measures: p.measures,
        laggard: p.laggard,
      })),
      total: {
        no: '',
        name: '全市',
        measures: Object.fromEntries(
          MEASURES.map((m) => [
            m,
            {
              period: content.city.period[m],
              ytd: content.city.ytd[m],
              target: null,
              progress: null,
              status: 'no_target',
            },
          ]),
        ) as SheetRow['measures'],
      },
    },
    [
      '计划10（大众创业培训计划）培训后取证率100%：其新增技能人才目标为其累计培训人次。',
      '“全市”行为全市合计（含未归属任何计划的记录），不等于各计划之和。',
    ],
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
