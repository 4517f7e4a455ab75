/*
 * Training reports by file (#8, R-ACT-1) in the style of the roster imports: one row per trainee;
 * rows with the same unit, title, dates, occupation and level form one report. Every problem of a
 * row is reported against its column with a code; valid rows commit in one transaction; a
 * failed-rows workbook lists the rest. A unit officer imports only rows of its own unit.
 */
import { shanghaiDate } from '../../platform/clock.js';
import type { Scope } from '../../platform/auth/roles.js';
import { uuidv7 } from '../../platform/ids.js';
import { maskIdNumber } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/audit.service.js';
import { auditContextOf, type AuthContext, type RequestMeta } from '../auth/auth.service.js';
import { matchPersons } from '../activity/activity.persons.js';
import { closedPeriods, periodOf } from '../activity/activity.periods.js';
import { mayReportFor, trainingProblems, type ReportingUnit } from '../activity/activity.rules.js';
import { allUnits } from '../activity/activity.certificates.repository.js';
import * as activity from '../activity/activity.trainings.repository.js';
import { parseCivilDate } from '../employment/employment.rules.js';
import {
  createRegionHistory,
  validateIdNumber,
  type IdNumberValid,
} from '../persons/id-number.rules.js';
import {
  TRAINING_REPORT_FIELDS,
  TRAINING_REPORT_HEADERS,
  type TrainingReportField,
} from './imports.headers.js';
import * as repo from './imports.repository.js';
import {
  cellReader,
  EXAMPLE_MARK,
  invalidDate,
  skippedRow,
  type RowProblem,
} from './imports.rows.js';
import {
  runImport,
  type CommitOutcome,
  type ImportDeps,
  type ImportFile,
  type ImportOptions,
  type ImportPipeline,
  type ImportSummary,
} from './imports.service.js';
import { writeTemplate } from './imports.workbook.js';

type Field = TrainingReportField;

interface Unit extends ReportingUnit {
  canonicalName: string;
}

interface TrainingRow {
  groupKey: string;
  unit: Unit;
  title: string;
  occupationCode: string | null;
  skillLevelKey: string | null;
  planNo: number | null;
  startOn: string;
  endOn: string;
  hours: number;
  period: string;
  id: IdNumberValid;
  name: string;
  completed: boolean;
}

const YES = new Set(['是', 'y', 'yes', '1', 'true', '结业', '已结业']);
const NO = new Set(['否', 'n', 'no', '0', 'false', '未结业']);

function norm(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** The catalogs a row is checked against, loaded once per import. */
async function loadContext(deps: ImportDeps) {
  const db = deps.db;
  const [units, occupations, levels, plans, closed, history] = await Promise.all([
    allUnits(db),
    db.selectFrom('occupations').select('code').where('level', '=', 4).execute(),
    db.selectFrom('skillLevels').select(['key', 'name', 'shortName']).execute(),
    db.selectFrom('plans').select('planNo').execute(),
    db.selectFrom('activityPeriods').select('period').execute(),
    repo.loadAddressHistory(db),
  ]);
  const unitByName = new Map<string, Unit>();
  for (const u of units) {
    const unit: Unit = {
      id: u.id,
      kind: u.kind,
      regionCode: u.regionCode,
      canonicalName: u.canonicalName,
    };
    for (const name of [u.id, u.canonicalName, ...u.aliases]) unitByName.set(norm(name), unit);
  }
  const levelByName = new Map<string, string>();
  for (const l of levels) {
    for (const name of [l.key, l.name, l.shortName, ...l.name.split('/')]) {
      levelByName.set(norm(name), l.key);
    }
  }
  const regionHistory = createRegionHistory(history.periods, history.statisticsOnly);
  const today = shanghaiDate(deps.clock.now());
  return {
    today,
    unitByName,
    occupations: new Set(occupations.map((o) => o.code)),
    levelByName,
    plans: new Set(plans.map((p) => p.planNo)),
    closed: new Set(closed.map((p) => p.period)),
    validateId: (raw: string) => validateIdNumber(raw, { today, regions: regionHistory }),
  };
}

/**
 * Imports training reports: `POST /api/imports/training-reports`. Headers 培训名称, 责任单位 (name,
 * id or alias), 职业编码, 技能等级 (name or key), 计划编号, 开始日期, 结束日期, 学时, 身份证号,
 * 姓名, 是否结业 (是/否, default 是).
 */
export async function importTrainingReports(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
): Promise<ImportSummary> {
  const scope: Scope = auth?.scope ?? { kind: 'city' };
  const organisationId = scope.kind === 'organisation' ? scope.organisationId : null;
  const context = await loadContext(deps);
  /** The first row's hours and plan of each report, so later rows of it agree. */
  const groupFacts = new Map<string, { hours: number; planNo: number | null }>();
  /** Reports created by this import, by group. */
  const reports = new Map<string, string>();

  const pipeline: ImportPipeline<Field, TrainingRow> = {
    kind: 'training_reports',
    spec: TRAINING_REPORT_HEADERS,
    parse(cells, mapping) {
      const skip = skippedRow(cells, mapping);
      if (skip) return skip;
      const value = cellReader(cells, mapping);
      const problems: RowProblem<Field>[] = [];
      const problem = (field: Field, code: string, message: string) =>
        problems.push({ field, code, message });
      const required = (field: Field, label: string): string => {
        const text = value(field);
        if (text === '') problem(field, 'REQUIRED', `${label}不能为空。`);
        return text;
      };

      const title = required('title', '培训名称');
      if (title.length > 200) problem('title', 'TITLE_TOO_LONG', '培训名称不能超过 200 个字。');
      const unitText = required('unit', '责任单位');
      const unit = unitText === '' ? undefined : context.unitByName.get(norm(unitText));
      if (unitText !== '' && !unit) {
        problem('unit', 'UNIT_UNKNOWN', `责任单位“${unitText.slice(0, 30)}”不在责任单位名单中。`);
      } else if (unit && !mayReportFor(scope, unit)) {
        problem(
          'unit',
          'UNIT_NOT_YOURS',
          `不能替“${unit.canonicalName}”报送：只能报送本单位的培训。`,
        );
      }
      const occupationText = value('occupationCode');
      const occupationCode = occupationText === '' ? null : occupationText;
      if (occupationCode !== null && !context.occupations.has(occupationCode)) {
        problem(
          'occupationCode',
          'OCCUPATION_UNKNOWN',
          `职业编码“${occupationText.slice(0, 20)}”不是《职业分类大典》中的职业（如 6-01-01-01）。`,
        );
      }
      const levelText = value('skillLevel');
      const skillLevelKey =
        levelText === '' ? null : (context.levelByName.get(norm(levelText)) ?? null);
      if (levelText !== '' && skillLevelKey === null) {
        problem(
          'skillLevel',
          'SKILL_LEVEL_UNKNOWN',
          `技能等级“${levelText.slice(0, 20)}”无法识别，请填写如“四级/中级工”。`,
        );
      }
      const planText = value('planNo');
      const planNo = planText === '' ? null : Number(planText);
      if (planNo !== null && (!Number.isInteger(planNo) || !context.plans.has(planNo))) {
        problem('planNo', 'PLAN_UNKNOWN', `计划编号“${planText.slice(0, 10)}”不存在。`);
      }
      const dates = (['startOn', 'endOn'] as const).map((field) => {
        const label = field === 'startOn' ? '开始日期' : '结束日期';
        const text = required(field, label);
        const date = text === '' ? undefined : parseCivilDate(text);
        if (text !== '' && !date) {
          problems.push(invalidDate(field, label, text));
        }
        return date;
      });
      const [startOn, endOn] = dates;
      const hoursText = required('hours', '学时');
      const hours = Number(hoursText);
      if (startOn && endOn) {
        for (const p of trainingProblems(
          { startOn, endOn, hours: hoursText === '' ? 1 : hours },
          context.today,
        )) {
          problem(p.field, p.code, p.zh);
        }
      } else if (
        hoursText !== '' &&
        trainingProblems({ startOn: '2000-01-01', endOn: '2000-01-01', hours }, '2000-01-01')
          .length > 0
      ) {
        problem('hours', 'HOURS_INVALID', '学时应大于 0、不超过 5000，最多一位小数。');
      }
      const period = endOn ? periodOf(endOn) : undefined;
      if (period && context.closed.has(period)) {
        problem('endOn', 'PERIOD_CLOSED', `${period} 月份已由市级关闭，不能再报送该月结束的培训。`);
      }
      const rawId = required('idNumber', '身份证号');
      let id: IdNumberValid | undefined;
      if (rawId !== '') {
        const checked = context.validateId(rawId);
        if (checked.ok) id = checked;
        else problem('idNumber', checked.code, checked.message);
      }
      const name = required('name', '姓名');
      const completedText = norm(value('completed'));
      const completed = completedText === '' || YES.has(completedText);
      if (completedText !== '' && !YES.has(completedText) && !NO.has(completedText)) {
        problem('completed', 'COMPLETED_INVALID', '是否结业请填写“是”或“否”。');
      }
      if (problems.length > 0 || !unit || !startOn || !endOn || !period || !id) {
        return { kind: 'row', dedupeKey: undefined, row: undefined, problems };
      }
      const groupKey = [
        unit.id,
        title,
        startOn,
        endOn,
        occupationCode ?? '',
        skillLevelKey ?? '',
      ].join('|');
      const first = groupFacts.get(groupKey);
      if (!first) groupFacts.set(groupKey, { hours, planNo });
      else if (first.hours !== hours || first.planNo !== planNo) {
        problem(
          first.hours !== hours ? 'hours' : 'planNo',
          'GROUP_MISMATCH',
          '同一培训（责任单位、培训名称、日期、职业、等级相同）的各行学时和计划编号应一致。',
        );
        return { kind: 'row', dedupeKey: undefined, row: undefined, problems };
      }
      return {
        kind: 'row',
        dedupeKey: `${groupKey}|${id.idNumber}`,
        row: {
          groupKey,
          unit,
          title,
          occupationCode,
          skillLevelKey,
          planNo,
          startOn,
          endOn,
          hours,
          period,
          id,
          name,
          completed,
        },
        problems: [],
      };
    },
    async commit(trx, rows, importId) {
      const outcomes: CommitOutcome[] = new Array(rows.length);
      const groups = new Map<string, number[]>();
      rows.forEach((row, index) => {
        const list = groups.get(row.groupKey) ?? [];
        list.push(index);
        groups.set(row.groupKey, list);
      });
      const closed = await closedPeriods(
        trx,
        rows.map((r) => r.period),
      );
      const now = deps.clock.now();
      const auditContext = auditContextOf(auth, meta);
      for (const indexes of groups.values()) {
        const first = rows[indexes[0] as number] as TrainingRow;
        if (closed.has(first.period)) {
          for (const i of indexes) {
            outcomes[i] = {
              kind: 'rejected',
              column: '结束日期',
              code: 'PERIOD_CLOSED',
              message: `${first.period} 月份已由市级关闭，不能再报送该月结束的培训。`,
            };
          }
          continue;
        }
        const existing = reports.get(first.groupKey);
        const reportId = existing ?? uuidv7();
        const members = indexes.map((i) => rows[i] as TrainingRow);
        const matches = await matchPersons(
          trx,
          members.map((m) => ({ id: m.id, name: m.name })),
          {
            pii: deps.pii,
            now,
            source: 'import',
            createdBy: auth?.user.id ?? null,
            regionCode: first.unit.regionCode,
            context: auditContext,
            details: { source: 'import', importId, trainingReportId: reportId },
            links: [
              { kind: 'unit', id: first.unit.id },
              ...(organisationId ? [{ kind: 'organisation' as const, id: organisationId }] : []),
            ],
          },
        );
        const accepted: { personId: string; completed: boolean }[] = [];
        matches.forEach((match, k) => {
          const i = indexes[k] as number;
          const member = members[k] as TrainingRow;
          if (match.kind === 'rejected') {
            outcomes[i] = {
              kind: 'rejected',
              column: match.code === 'NAME_MISMATCH' ? '姓名' : '身份证号',
              code: match.code,
              message: `${match.zh}（${maskIdNumber(member.id.idNumber)}）`,
            };
          } else {
            accepted.push({ personId: match.personId, completed: member.completed });
            outcomes[i] = { kind: 'imported' };
          }
        });
        if (accepted.length === 0) continue;
        if (!existing) {
          await activity.insertReport(trx, {
            id: reportId,
            unitId: first.unit.id,
            organisationId,
            planNo: first.planNo,
            title: first.title,
            occupationCode: first.occupationCode,
            skillLevelKey: first.skillLevelKey,
            startOn: first.startOn,
            endOn: first.endOn,
            hours: first.hours,
            period: first.period,
            source: 'import',
            importRunId: importId,
            reportedBy: auth?.user.id ?? null,
            createdAt: now,
            updatedAt: now,
          });
          reports.set(first.groupKey, reportId);
          await recordAudit(trx, {
            context: auditContext,
            action: 'activity.training.reported',
            entityType: 'training_report',
            entityId: reportId,
            details: { source: 'import', importId, unitId: first.unit.id, title: first.title },
            occurredAt: now,
          });
        }
        await activity.insertTrainees(trx, reportId, accepted);
      }
      return outcomes;
    },
    duplicate: {
      field: 'idNumber',
      message: (earlier) => `与第 ${earlier} 行是同一培训的同一学员（身份证号重复）。`,
    },
  };
  return runImport(deps, auth, file, options, meta, pipeline);
}

/** The training-report template: canonical headers and one example row. */
export function trainingReportsTemplate(): Promise<Buffer> {
  return writeTemplate(
    TRAINING_REPORT_HEADERS,
    TRAINING_REPORT_FIELDS,
    {
      title: '2026年高危行业安全生产培训（第一期）',
      unit: '市应急管理局',
      occupationCode: '6-01-01-01',
      skillLevel: '五级/初级工',
      planNo: '1',
      startOn: '2026-03-02',
      endOn: '2026-03-06',
      hours: '40',
      idNumber: '11010519491231002X',
      name: '张三',
      completed: '是',
    },
    EXAMPLE_MARK,
  );
}
