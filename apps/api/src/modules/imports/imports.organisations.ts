import { normalizePhone } from '../../platform/crypto/index.js';
import type { Scope } from '../../platform/auth/roles.js';
import type { AuthContext, RequestMeta } from '../auth/auth.service.js';
import { isContactPhone, kindFieldErrors } from '../organisations/organisations.rules.js';
import type {
  Affiliation,
  EvaluationType,
  OrganisationKind,
  SizeClass,
} from '../organisations/organisations.schema.js';
import {
  importOrganisationRows,
  type OrganisationImportRow,
} from '../organisations/organisations.import.js';
import { validateUscc } from '../organisations/uscc.rules.js';
import {
  ORGANISATION_FIELDS,
  ORGANISATION_HEADERS,
  type HeaderMapping,
  type OrganisationField,
} from './imports.headers.js';
import * as repo from './imports.repository.js';
import {
  cellReader,
  EXAMPLE_MARK,
  RegionResolver,
  skippedRow,
  type RowProblem,
} from './imports.rows.js';
import {
  runImport,
  type ImportDeps,
  type ImportFile,
  type ImportOptions,
  type ImportPipeline,
  type ImportSummary,
} from './imports.service.js';
import { writeTemplate } from './imports.workbook.js';

const SHANGQIU = '411400';

const KINDS: Record<string, OrganisationKind> = {
  培训机构: 'training_institution',
  职业培训机构: 'training_institution',
  培训学校: 'training_institution',
  职业培训学校: 'training_institution',
  民办职业培训学校: 'training_institution',
  定点培训机构: 'training_institution',
  评价机构: 'evaluation_institution',
  职业技能等级认定机构: 'evaluation_institution',
  技能等级认定机构: 'evaluation_institution',
  社会培训评价组织: 'evaluation_institution',
  鉴定机构: 'evaluation_institution',
  用人单位: 'employer',
  企业: 'employer',
  雇主: 'employer',
  人力资源服务机构: 'hr_agency',
  人力资源服务企业: 'hr_agency',
  人力资源公司: 'hr_agency',
  人力资源机构: 'hr_agency',
};

const SIZES: Record<string, SizeClass> = {
  大: 'large',
  大型: 'large',
  大型企业: 'large',
  中: 'medium',
  中型: 'medium',
  中型企业: 'medium',
  小: 'small',
  小型: 'small',
  小型企业: 'small',
  微: 'micro',
  微型: 'micro',
  微型企业: 'micro',
};

const AFFILIATIONS: Record<string, Affiliation> = {
  中央: 'central',
  中直: 'central',
  央企: 'central',
  中央企业: 'central',
  省: 'provincial',
  省属: 'provincial',
  省级: 'provincial',
  省直: 'provincial',
  市: 'city',
  市属: 'city',
  市级: 'city',
  市直: 'city',
  县: 'county',
  县属: 'county',
  县级: 'county',
  区属: 'county',
  县区属: 'county',
};

const EVALUATION_TYPES: Record<string, EvaluationType> = {
  y: 'Y',
  s: 'S',
  企业自主评价: 'Y',
  自主评价: 'Y',
  企业: 'Y',
  社会培训评价组织: 'S',
  社会评价: 'S',
  社会: 'S',
};

const BRACKETS = /[()（）\s]/g;

export interface OrganisationRowContext {
  regions: RegionResolver;
  scope: Scope;
}

export type ParsedOrganisationRow =
  | { kind: 'blank' }
  | { kind: 'example' }
  | {
      kind: 'row';
      uscc: string | undefined;
      row: OrganisationImportRow | undefined;
      problems: RowProblem<OrganisationField>[];
    };

const FIELD_OF_PATH: Record<string, OrganisationField> = {
  uscc: 'uscc',
  evaluationType: 'evaluationType',
  institutionCode: 'institutionCode',
  sizeClass: 'sizeClass',
  affiliation: 'affiliation',
  // A county-affiliated employer's county is the one it is in: a problem of the region column.
  affiliationRegionCode: 'region',
};

const KIND_FIELD_MESSAGES: Record<OrganisationField, string> = {
  uscc: '用人单位必须填写统一社会信用代码。',
  sizeClass: '用人单位必须填写企业规模（大型、中型、小型、微型）。',
  affiliation: '用人单位必须填写隶属关系（中央、省属、市属、县属）。',
  evaluationType: '评价机构必须填写评价机构类型（企业自主评价 Y 或社会培训评价组织 S）。',
  institutionCode: '评价机构必须填写 4 位机构代码。',
  name: '',
  kind: '',
  region: '',
  address: '',
  contactName: '',
  contactPhone: '',
};

/** Parses one organisation row (pure); every problem names its column. */
export function parseOrganisationRow(
  cells: readonly string[],
  mapping: HeaderMapping<OrganisationField>,
  context: OrganisationRowContext,
): ParsedOrganisationRow {
  const skip = skippedRow(cells, mapping);
  if (skip) return skip;
  const value = cellReader(cells, mapping);
  const problems: RowProblem<OrganisationField>[] = [];
  const problem = (field: OrganisationField | null, code: string, message: string) =>
    problems.push({ field, code, message });

  const name = value('name');
  if (name === '') problem('name', 'NAME_REQUIRED', '单位名称不能为空。');
  else if ([...name].length > 200) problem('name', 'NAME_INVALID', '单位名称最多 200 个字。');

  const kindText = value('kind').replace(BRACKETS, '');
  const kind = KINDS[kindText];
  if (kindText === '') {
    problem(
      'kind',
      'ORG_KIND_REQUIRED',
      '请填写单位类型：培训机构、评价机构、用人单位或人力资源服务机构。',
    );
  } else if (kind === undefined) {
    problem(
      'kind',
      'ORG_KIND_UNKNOWN',
      `单位类型“${kindText.slice(0, 20)}”无法识别，请填写培训机构、评价机构、用人单位或人力资源服务机构。`,
    );
  }

  let uscc: string | null = null;
  const usccText = value('uscc');
  if (usccText !== '') {
    const checked = validateUscc(usccText);
    if (checked.ok) uscc = checked.uscc;
    else problem('uscc', checked.code, checked.message);
  }

  let regionCode: string | undefined;
  const regionText = value('region');
  if (regionText !== '') {
    const code = context.regions.resolve(regionText);
    const county = code === undefined ? undefined : context.regions.countyOf(code);
    if (county === undefined || context.regions.get(county)?.level !== 3) {
      problem(
        'region',
        'REGION_UNKNOWN',
        `无法识别“${regionText.slice(0, 30)}”对应的县（市、区），请填写如“梁园区”“永城市”或 6 位区划代码。`,
      );
    } else {
      regionCode = county;
    }
  } else if (context.scope.kind === 'region') {
    regionCode = context.scope.regionCode;
  } else {
    problem('region', 'REGION_REQUIRED', '请填写单位所在的县（市、区）。');
  }
  if (
    regionCode !== undefined &&
    context.scope.kind === 'region' &&
    regionCode !== context.scope.regionCode
  ) {
    problem(
      'region',
      'OUT_OF_SCOPE',
      `该单位在${context.regions.get(regionCode)?.name ?? regionCode}，不在您管理的县（市、区），请由其所在县（市、区）导入。`,
    );
  }

  const sizeText = value('sizeClass').replace(BRACKETS, '');
  const sizeClass = sizeText === '' ? null : (SIZES[sizeText] ?? null);
  if (sizeText !== '' && sizeClass === null) {
    problem(
      'sizeClass',
      'SIZE_CLASS_UNKNOWN',
      `企业规模“${sizeText}”无法识别，请填写大型、中型、小型或微型。`,
    );
  }
  const affiliationText = value('affiliation').replace(BRACKETS, '');
  const affiliation = affiliationText === '' ? null : (AFFILIATIONS[affiliationText] ?? null);
  if (affiliationText !== '' && affiliation === null) {
    problem(
      'affiliation',
      'AFFILIATION_UNKNOWN',
      `隶属关系“${affiliationText}”无法识别，请填写中央、省属、市属或县属。`,
    );
  }
  const evaluationText = value('evaluationType').replace(BRACKETS, '').toLowerCase();
  const evaluationType = evaluationText === '' ? null : (EVALUATION_TYPES[evaluationText] ?? null);
  if (evaluationText !== '' && evaluationType === null) {
    problem(
      'evaluationType',
      'EVALUATION_TYPE_UNKNOWN',
      '评价机构类型请填写“企业自主评价”（Y）或“社会培训评价组织”（S）。',
    );
  }
  const institutionCode = value('institutionCode') || null;

  let contactPhone: string | null = null;
  const phoneText = value('contactPhone');
  if (phoneText !== '') {
    const phone = normalizePhone(phoneText);
    if (isContactPhone(phone)) contactPhone = phone;
    else {
      problem(
        'contactPhone',
        'PHONE_INVALID',
        `联系电话“${phoneText.slice(0, 20)}”不是有效的手机号码或带区号的固定电话。`,
      );
    }
  }
  const address = value('address') || null;
  if (address !== null && [...address].length > 300) {
    problem('address', 'ADDRESS_TOO_LONG', '地址最多 300 个字。');
  }
  const contactName = value('contactName') || null;
  if (contactName !== null && [...contactName].length > 100) {
    problem('contactName', 'CONTACT_NAME_TOO_LONG', '联系人最多 100 个字。');
  }

  const affiliationRegionCode = affiliation === 'county' ? (regionCode ?? null) : null;
  if (kind !== undefined) {
    const fields = {
      uscc,
      evaluationType,
      institutionCode,
      sizeClass,
      affiliation,
      affiliationRegionCode,
    };
    for (const error of kindFieldErrors(kind, fields)) {
      const key = error.path.replace('/body/', '');
      const field = FIELD_OF_PATH[key] ?? null;
      // A value already reported as unreadable is not reported again as missing.
      if (field !== null && problems.some((p) => p.field === field)) continue;
      const missing = error.message.startsWith('required');
      problem(
        field,
        missing ? 'ORG_FIELD_REQUIRED' : 'ORG_FIELD_NOT_USED',
        missing && field !== null && KIND_FIELD_MESSAGES[field]
          ? KIND_FIELD_MESSAGES[field]
          : `该列不适用于此单位类型，请留空（${error.message}）。`,
      );
    }
  }

  const row: OrganisationImportRow | undefined =
    problems.length === 0 && kind !== undefined && regionCode !== undefined
      ? {
          kind,
          name,
          uscc,
          regionCode,
          address,
          contactName,
          contactPhone,
          evaluationType,
          institutionCode,
          sizeClass,
          affiliation,
          affiliationRegionCode,
        }
      : undefined;
  return { kind: 'row', uscc: uscc ?? undefined, row, problems };
}

/**
 * Imports an organisation list: `POST /api/imports/organisations`. Headers 单位名称,
 * 统一社会信用代码, 单位类型/机构类型, 企业规模, 隶属关系, 所在地/所属区县, 地址, 联系人, 联系电话
 * in any order. A county administrator imports organisations of their county (the default
 * region); the city names each row's county.
 */
export async function importOrganisations(
  deps: ImportDeps,
  auth: AuthContext | null,
  file: ImportFile,
  options: ImportOptions,
  meta: RequestMeta,
): Promise<ImportSummary> {
  const scope = auth?.scope ?? { kind: 'city' as const };
  const regions = new RegionResolver(await repo.loadRegions(deps.db, SHANGQIU), SHANGQIU);
  const context: OrganisationRowContext = { regions, scope };
  const pipeline: ImportPipeline<OrganisationField, OrganisationImportRow> = {
    kind: 'organisations',
    spec: ORGANISATION_HEADERS,
    parse(cells, mapping) {
      const parsed = parseOrganisationRow(cells, mapping, context);
      if (parsed.kind !== 'row') return parsed;
      return { kind: 'row', dedupeKey: parsed.uscc, row: parsed.row, problems: parsed.problems };
    },
    commit: (trx, rows) =>
      importOrganisationRows(trx, deps, auth, rows, { overwrite: options.overwrite, meta }).then(
        (outcomes) =>
          outcomes.map((o) => {
            if (o.kind !== 'rejected') return o;
            const column = ORGANISATION_HEADERS.canonical[o.field];
            return {
              kind: 'rejected' as const,
              column,
              code: o.code,
              message: o.message ?? `${column}与已登记的不一致（选择“覆盖”以更新）。`,
            };
          }),
      ),
    duplicate: {
      field: 'uscc',
      message: (earlier) => `与第 ${earlier} 行的统一社会信用代码重复，同一单位只需填写一行。`,
    },
  };
  return runImport(deps, auth, file, options, meta, pipeline);
}

/** The organisations template: canonical headers and one example row (skipped on import). */
export function organisationsTemplate(): Promise<Buffer> {
  return writeTemplate(
    ORGANISATION_HEADERS,
    ORGANISATION_FIELDS,
    {
      name: '商丘市示例职业培训学校',
      uscc: '',
      kind: '培训机构',
      region: '梁园区',
      address: '商丘市梁园区示例路 1 号',
      contactName: '李四',
      contactPhone: '0370-3000000',
    },
    EXAMPLE_MARK,
  );
}
