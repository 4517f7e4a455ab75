/*
 * Certificates issued elsewhere by file (#8, R-ACT-1), in the style of the roster imports: one
 * row per certificate, every problem of a row reported against its column with its code, valid
 * rows committed in one transaction through the same intake as the JSON endpoints (source
 * 'import'), a failed-rows workbook for the rest. A unit officer imports only its own unit's
 * certificates; the 责任单位 column may then be left empty.
 */
import { shanghaiDate } from '../../platform/clock.js';
import type { AuthContext, RequestMeta } from '../auth/auth.service.js';
import {
  checkCertificate,
  type CertificateField,
} from '../activity/activity.certificates.rules.js';
import * as certificates from '../activity/activity.certificates.repository.js';
import {
  DEFAULT_PROVINCE,
  recordCertificatesIn,
  type CertificateReport,
  type ReportField,
} from '../activity/activity.certificates.service.js';
import { mayReportFor } from '../activity/activity.rules.js';
import type { ExternalCertificateKind } from '../activity/activity.schema.js';
import { parseCivilDate } from '../employment/employment.rules.js';
import {
  EXTERNAL_CERTIFICATE_FIELDS,
  EXTERNAL_CERTIFICATE_HEADERS,
  normalizeHeader,
  type ExternalCertificateField,
} from './imports.headers.js';
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
  type ParsedRow,
} from './imports.service.js';
import { writeTemplate } from './imports.workbook.js';

type Field = ExternalCertificateField;

/** 证书类型 as clerks write it → kind. */
const KIND_NAMES: Record<string, ExternalCertificateKind> = {
  职业资格证书: 'qualification_legacy',
  职业资格: 'qualification_legacy',
  国家职业资格证书: 'qualification_legacy',
  qualification_legacy: 'qualification_legacy',
  职业技能等级证书: 'skill_level',
  职业技能等级: 'skill_level',
  技能等级证书: 'skill_level',
  skill_level: 'skill_level',
  专项职业能力证书: 'special_ability',
  专项职业能力: 'special_ability',
  专项能力: 'special_ability',
  special_ability: 'special_ability',
  特种作业操作证: 'special_operation',
  特种作业: 'special_operation',
  特种作业证: 'special_operation',
  special_operation: 'special_operation',
};

/** 技能等级 as clerks write it → key (五级/初级工, 五级, 初级工, 初级, level5). */
function skillLevelOf(text: string): string | null | undefined {
  if (text === '') return null;
  const t = text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const levels: [string, string[]][] = [
    ['level5', ['五级/初级工', '五级', '初级工', '初级', '5', '5级']],
    ['level4', ['四级/中级工', '四级', '中级工', '中级', '4', '4级']],
    ['level3', ['三级/高级工', '三级', '高级工', '高级', '3', '3级']],
    ['level2', ['二级/技师', '二级', '技师', '2', '2级']],
    ['level1', ['一级/高级技师', '一级', '高级技师', '1', '1级']],
    ['special_ability', ['专项职业能力', '专项能力', '专项']],
  ];
  for (const [key, names] of levels) if (key === t || names.includes(t)) return key;
  return undefined;
}

/** A rule's field → the column it is reported on. */
const COLUMN_OF: Record<ReportField, Field> = {
  number: 'number',
  skillLevelKey: 'skillLevel',
  occupationCode: 'occupationCode',
  itemName: 'itemName',
  issuingProvinceCode: 'issuingProvinceCode',
  issuedOn: 'issuedOn',
  validUntil: 'validUntil',
  unitId: 'unit',
  idNumber: 'idNumber',
  name: 'name',
  issuerName: 'issuerName',
};

/**
 * Imports certificates issued elsewhere: `POST /api/imports/external-certificates`. Headers
 * 证书类型, 证书编号, 身份证号, 姓名, 发证机构, 发证日期 and optionally 职业编码, 技能等级,
 * 项目名称, 发证省份代码 (41 when empty), 有效期至, 责任单位 (id, name or alias; a unit
 * officer's own unit when empty).
 */
export async function importExternalCertificates(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
): Promise<ImportSummary> {
  const today = shanghaiDate(deps.clock.now());
  const scope = auth?.scope ?? { kind: 'city' as const };
  const units = await certificates.allUnits(deps.db);
  const unitByName = new Map<string, certificates.UnitFacts>();
  for (const unit of units) {
    for (const name of [unit.id, unit.canonicalName, ...unit.aliases]) {
      unitByName.set(normalizeHeader(name), unit);
    }
  }
  const ownUnit = scope.kind === 'unit' ? units.find((u) => u.id === scope.unitId) : undefined;

  const pipeline: ImportPipeline<Field, CertificateReport> = {
    kind: 'external_certificates',
    spec: EXTERNAL_CERTIFICATE_HEADERS,
    parse(cells, mapping): ParsedRow<Field, CertificateReport> {
      const skip = skippedRow(cells, mapping);
      if (skip) return skip;
      const value = cellReader(cells, mapping);
      const problems: RowProblem<Field>[] = [];
      const required = (field: Field, label: string) => {
        const text = value(field);
        if (text === '') problems.push({ field, code: 'REQUIRED', message: `${label}不能为空。` });
        return text;
      };
      const kindText = required('kind', '证书类型');
      const number = required('number', '证书编号');
      const idNumber = required('idNumber', '身份证号');
      const name = required('name', '姓名');
      const issuerName = required('issuerName', '发证机构');
      const issuedText = required('issuedOn', '发证日期');

      const kind = KIND_NAMES[kindText.normalize('NFKC').replace(/\s+/g, '')];
      if (kindText !== '' && !kind) {
        problems.push({
          field: 'kind',
          code: 'KIND_UNKNOWN',
          message:
            `证书类型“${kindText.slice(0, 20)}”无法识别，应为职业资格证书、职业技能等级证书、` +
            '专项职业能力证书或特种作业操作证。',
        });
      }
      const skillText = value('skillLevel');
      const skillLevelKey = skillLevelOf(skillText);
      if (skillLevelKey === undefined) {
        problems.push({
          field: 'skillLevel',
          code: 'SKILL_LEVEL_UNKNOWN',
          message: `技能等级“${skillText.slice(0, 20)}”无法识别，应为五级/初级工至一级/高级技师。`,
        });
      }
      const issuedOn = issuedText === '' ? undefined : parseCivilDate(issuedText);
      if (issuedText !== '' && !issuedOn)
        problems.push(invalidDate('issuedOn', '发证日期', issuedText));
      const validText = value('validUntil');
      const validUntil = validText === '' ? null : parseCivilDate(validText);
      if (validUntil === undefined) problems.push(invalidDate('validUntil', '有效期至', validText));

      const unitText = value('unit');
      const unit = unitText === '' ? ownUnit : unitByName.get(normalizeHeader(unitText));
      if (unitText === '' && !unit) {
        problems.push({ field: 'unit', code: 'REQUIRED', message: '责任单位不能为空。' });
      } else if (!unit) {
        problems.push({
          field: 'unit',
          code: 'UNIT_UNKNOWN',
          message: `找不到责任单位“${unitText.slice(0, 40)}”（可填单位名称或编号）。`,
        });
      } else if (!mayReportFor(scope, unit)) {
        problems.push({
          field: 'unit',
          code: 'UNIT_NOT_YOURS',
          message: `您不能为“${unit.canonicalName}”报送证书。`,
        });
      }
      if (problems.length > 0 || !kind || !issuedOn || !unit || skillLevelKey === undefined) {
        return { kind: 'row', dedupeKey: undefined, row: undefined, problems };
      }
      const report: CertificateReport = {
        unitId: unit.id,
        kind,
        number,
        idNumber,
        name,
        occupationCode: value('occupationCode') || null,
        skillLevelKey,
        itemName: value('itemName') || null,
        issuerName,
        issuingProvinceCode: value('issuingProvinceCode') || DEFAULT_PROVINCE,
        issuedOn,
        validUntil,
      };
      const checked = checkCertificate(
        { ...report, issuingProvinceCode: report.issuingProvinceCode ?? DEFAULT_PROVINCE },
        today,
      );
      if (!checked.ok) {
        return {
          kind: 'row',
          dedupeKey: undefined,
          row: undefined,
          problems: checked.problems.map((p) => ({
            field: COLUMN_OF[p.field satisfies CertificateField],
            code: p.code,
            message: p.zh,
          })),
        };
      }
      return {
        kind: 'row',
        dedupeKey: `${kind}|${checked.certificate.number}`,
        row: report,
        problems: [],
      };
    },
    async commit(trx, rows, importId): Promise<CommitOutcome[]> {
      const outcomes = await recordCertificatesIn(
        trx,
        { deps, auth, meta, source: 'import', importRunId: importId },
        rows,
      );
      return outcomes.map((o) =>
        o.kind === 'accepted'
          ? { kind: 'imported' }
          : {
              kind: 'rejected',
              column: EXTERNAL_CERTIFICATE_HEADERS.canonical[COLUMN_OF[o.field]],
              code: o.code,
              message: o.zh,
            },
      );
    },
    duplicate: {
      field: 'number',
      message: (earlier) => `与第 ${earlier} 行是同一张证书（证书类型和编号相同）。`,
    },
  };
  return runImport(deps, auth, file, options, meta, pipeline);
}

/** The external-certificate template: canonical headers and one example row. */
export function externalCertificatesTemplate(): Promise<Buffer> {
  return writeTemplate(
    EXTERNAL_CERTIFICATE_HEADERS,
    EXTERNAL_CERTIFICATE_FIELDS,
    {
      kind: '职业技能等级证书',
      number: 'S000041000123224000057',
      idNumber: '11010519491231002X',
      name: '张三',
      occupationCode: '4-03-02-01',
      skillLevel: '四级/中级工',
      itemName: '',
      issuerName: '某某职业技能等级认定中心',
      issuingProvinceCode: '41',
      issuedOn: '2022-06-01',
      validUntil: '',
      unit: 'A2-07',
    },
    EXAMPLE_MARK,
  );
}
