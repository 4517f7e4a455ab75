/*
 * Header rows as people really write them. A roster made in one county office says 身份证号, the
 * next says 公民身份号码（必填）, a third ＊证件号码 with a full-width asterisk; all of them mean the
 * same column. Headers are normalised (NFKC, no spaces, no asterisks, no bracketed notes) and then
 * looked up in a synonym table per import kind. Pure: no I/O.
 */

/** The fields a person roster can carry. `seq` (序号) and `failureReason` are recognised only to be ignored. */
export const PERSON_FIELDS = [
  'name',
  'idNumber',
  'sex',
  'phone',
  'householdRegion',
  'residenceRegion',
  'keyGroups',
  'education',
  'employmentStatus',
  'ethnicity',
  'note',
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

/** The fields an organisation list can carry. */
export const ORGANISATION_FIELDS = [
  'name',
  'uscc',
  'kind',
  'sizeClass',
  'affiliation',
  'region',
  'address',
  'contactName',
  'contactPhone',
  'evaluationType',
  'institutionCode',
] as const;
export type OrganisationField = (typeof ORGANISATION_FIELDS)[number];

/** Columns that are recognised and deliberately ignored. */
type IgnoredField = 'seq' | 'failureReason';

export interface HeaderSpec<F extends string> {
  /** Normalised header text → field. */
  synonyms: ReadonlyMap<string, F | IgnoredField>;
  /** Fields without which no row can be imported; a file missing one is refused whole. */
  required: readonly F[];
  /** The header written in templates and failed-rows workbooks for a field. */
  canonical: Readonly<Record<F, string>>;
}

/** The column our failed-rows workbooks add; a re-uploaded one must not count as data. */
export const FAILURE_REASON_HEADER = '失败原因';
/** The sequence-number column most rosters start with. */
export const SEQ_HEADER = '序号';

// Bracketed notes people put in headers: (必填) （选填） 【必填】 [18位] 〔〕.
const BRACKETED = /\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|<[^>]*>|《[^》]*》/g;
// After NFKC full-width ＊ is *, but ※ and ★ survive; whitespace includes U+3000.
const DECORATION = /[\s\p{Cf}*※★☆:：'"“”‘’]+/gu;

/**
 * The comparable form of a header cell: NFKC (full-width letters and brackets become ASCII),
 * bracketed notes and decorations (asterisks, colons, spaces) removed, Latin letters lowercased.
 */
export function normalizeHeader(raw: string): string {
  return raw.normalize('NFKC').replace(BRACKETED, '').replace(DECORATION, '').toLowerCase();
}

function synonymMap<F extends string>(
  table: Record<F | IgnoredField, readonly string[]>,
): Map<string, F | IgnoredField> {
  const map = new Map<string, F | IgnoredField>();
  for (const [field, names] of Object.entries(table) as [F | IgnoredField, readonly string[]][]) {
    for (const name of names) {
      const key = normalizeHeader(name);
      const existing = map.get(key);
      if (existing !== undefined && existing !== field) {
        throw new Error(`Header synonym "${name}" names both ${existing} and ${field}`);
      }
      map.set(key, field);
    }
  }
  return map;
}

const IGNORED_SYNONYMS: Record<IgnoredField, readonly string[]> = {
  seq: [SEQ_HEADER, '编号', '行号', 'no', 'no.', '#', '序'],
  failureReason: [FAILURE_REASON_HEADER, '错误原因', '失败原因说明'],
};

export const PERSON_HEADERS: HeaderSpec<PersonField> = {
  synonyms: synonymMap<PersonField>({
    ...IGNORED_SYNONYMS,
    name: ['姓名', '名字', '人员姓名', '学员姓名', '劳动者姓名', '真实姓名', 'name'],
    idNumber: [
      '身份证号码',
      '身份证号',
      '身份证',
      '公民身份号码',
      '公民身份证号码',
      '居民身份证号码',
      '身份证件号码',
      '证件号码',
      '证件号',
      'idnumber',
    ],
    sex: ['性别', 'sex', 'gender'],
    phone: [
      '手机号码',
      '手机号',
      '手机',
      '联系电话',
      '电话',
      '电话号码',
      '联系方式',
      '移动电话',
      'phone',
      'mobile',
    ],
    householdRegion: ['户籍地', '户籍所在地', '户籍地址', '户口所在地', '户籍'],
    residenceRegion: ['现居住地', '居住地', '常住地', '现住址', '现居住地址', '居住地址'],
    keyGroups: ['人员类别', '人员类型', '重点群体', '群体类别', '人员身份', '类别'],
    education: ['文化程度', '学历', '最高学历'],
    employmentStatus: ['就业状态', '就业情况', '就业状况'],
    ethnicity: ['民族'],
    note: ['备注', '说明', 'note', 'remark'],
  }),
  required: ['name', 'idNumber'],
  canonical: {
    name: '姓名',
    idNumber: '身份证号码',
    sex: '性别',
    phone: '手机号码',
    householdRegion: '户籍地',
    residenceRegion: '现居住地',
    keyGroups: '人员类别',
    education: '文化程度',
    employmentStatus: '就业状态',
    ethnicity: '民族',
    note: '备注',
  },
};

export const ORGANISATION_HEADERS: HeaderSpec<OrganisationField> = {
  synonyms: synonymMap<OrganisationField>({
    ...IGNORED_SYNONYMS,
    name: ['单位名称', '机构名称', '企业名称', '名称', '单位'],
    uscc: ['统一社会信用代码', '社会信用代码', '信用代码', '组织机构代码'],
    kind: ['单位类型', '机构类型', '单位类别', '机构类别', '类型'],
    sizeClass: ['企业规模', '规模', '企业规模类型'],
    affiliation: ['隶属关系', '企业隶属关系'],
    region: ['所在地', '所属区县', '所在区县', '所属地区', '区县', '所在县区'],
    address: ['地址', '单位地址', '详细地址', '注册地址', '办公地址'],
    contactName: ['联系人', '联系人姓名'],
    contactPhone: ['联系电话', '联系人电话', '手机号码', '电话', '联系方式'],
    evaluationType: ['评价机构类型', '评价类型'],
    institutionCode: ['机构代码', '评价机构代码'],
  }),
  required: ['name'],
  canonical: {
    name: '单位名称',
    uscc: '统一社会信用代码',
    kind: '单位类型',
    sizeClass: '企业规模',
    affiliation: '隶属关系',
    region: '所在地',
    address: '地址',
    contactName: '联系人',
    contactPhone: '联系电话',
    evaluationType: '评价机构类型',
    institutionCode: '机构代码',
  },
};

/** The fields of an employment-registration file (就业登记). */
export const EMPLOYMENT_FIELDS = ['idNumber', 'employerUscc', 'hiredOn', 'endedOn'] as const;
export type EmploymentField = (typeof EMPLOYMENT_FIELDS)[number];

/** The fields of a social-insurance contribution file (社保缴费). */
export const CONTRIBUTION_FIELDS = ['idNumber', 'employerUscc', 'month', 'wageBase'] as const;
export type ContributionField = (typeof CONTRIBUTION_FIELDS)[number];

// 社会保障号码 is the ID number in social-insurance files.
const ID_NUMBER_SYNONYMS = [
  '身份证号码',
  '身份证号',
  '身份证',
  '公民身份号码',
  '公民身份证号码',
  '社会保障号码',
  '证件号码',
  '证件号',
  'idnumber',
];
const EMPLOYER_USCC_SYNONYMS = [
  '用人单位统一社会信用代码',
  '单位统一社会信用代码',
  '统一社会信用代码',
  '社会信用代码',
  '信用代码',
  'employeruscc',
  'uscc',
];

export const EMPLOYMENT_HEADERS: HeaderSpec<EmploymentField> = {
  synonyms: synonymMap<EmploymentField>({
    ...IGNORED_SYNONYMS,
    idNumber: ID_NUMBER_SYNONYMS,
    employerUscc: EMPLOYER_USCC_SYNONYMS,
    hiredOn: ['入职日期', '就业日期', '招用日期', '用工日期', '登记日期', 'hiredon', 'hiredate'],
    endedOn: ['离职日期', '退工日期', '终止日期', '解除日期', 'endedon', 'enddate'],
  }),
  required: ['idNumber', 'employerUscc', 'hiredOn'],
  canonical: {
    idNumber: '身份证号',
    employerUscc: '用人单位统一社会信用代码',
    hiredOn: '入职日期',
    endedOn: '离职日期',
  },
};

export const CONTRIBUTION_HEADERS: HeaderSpec<ContributionField> = {
  synonyms: synonymMap<ContributionField>({
    ...IGNORED_SYNONYMS,
    idNumber: ID_NUMBER_SYNONYMS,
    employerUscc: EMPLOYER_USCC_SYNONYMS,
    month: ['缴费月份', '费款所属期', '所属期', '缴费年月', '月份', 'month'],
    wageBase: ['缴费基数', '缴费工资', '缴费基数元', 'wagebase', 'wagebaseyuan'],
  }),
  required: ['idNumber', 'employerUscc', 'month', 'wageBase'],
  canonical: {
    idNumber: '身份证号',
    employerUscc: '用人单位统一社会信用代码',
    month: '缴费月份',
    wageBase: '缴费基数(元)',
  },
};

export interface HeaderMapping<F extends string> {
  /** Field → 0-based column index (the first column with that meaning wins). */
  columns: Map<F, number>;
  /** 0-based index of the 序号 column, if any. */
  seqColumn: number | undefined;
  /** Header text as written in the file, per column, for reports and the failed-rows workbook. */
  labels: string[];
  /** Columns we do not understand (kept in the failed-rows workbook, never fatal). */
  unknown: string[];
  /** Required fields with no column. */
  missing: F[];
}

/** Maps one header row onto fields. Unknown, blank and repeated columns are tolerated. */
export function mapHeaders<F extends string>(
  cells: readonly string[],
  spec: HeaderSpec<F>,
): HeaderMapping<F> {
  const columns = new Map<F, number>();
  const unknown: string[] = [];
  let seqColumn: number | undefined;
  const labels = cells.map((cell) => cell.trim());
  labels.forEach((label, index) => {
    const key = normalizeHeader(label);
    if (key === '') return;
    const field = spec.synonyms.get(key);
    if (field === undefined) {
      unknown.push(label);
    } else if (field === 'seq') {
      seqColumn ??= index;
    } else if (field !== 'failureReason' && !columns.has(field)) {
      columns.set(field, index);
    }
  });
  const missing = spec.required.filter((field) => !columns.has(field));
  return { columns, seqColumn, labels, unknown, missing };
}

/** Whether a row looks like the header: it names every required field. */
export function isHeaderRow<F extends string>(cells: readonly string[], spec: HeaderSpec<F>) {
  return mapHeaders(cells, spec).missing.length === 0;
}

/** The fields of a training-report file (#8): one row per trainee. */
export const TRAINING_REPORT_FIELDS = [
  'title',
  'unit',
  'occupationCode',
  'skillLevel',
  'planNo',
  'startOn',
  'endOn',
  'hours',
  'idNumber',
  'name',
  'completed',
] as const;
export type TrainingReportField = (typeof TRAINING_REPORT_FIELDS)[number];

export const TRAINING_REPORT_HEADERS: HeaderSpec<TrainingReportField> = {
  synonyms: synonymMap<TrainingReportField>({
    ...IGNORED_SYNONYMS,
    title: ['培训名称', '培训项目', '项目名称', '班级名称', '培训班名称', 'title'],
    unit: ['责任单位', '报送单位', '主管单位', 'unit', 'unitid'],
    occupationCode: ['职业编码', '职业代码', '职业(工种)编码', 'occupationcode'],
    skillLevel: ['技能等级', '等级', '培训等级', 'skilllevel'],
    planNo: ['计划编号', '计划', '所属计划', 'planno'],
    startOn: ['开始日期', '开班日期', '培训开始日期', 'starton'],
    endOn: ['结束日期', '结业日期', '培训结束日期', 'endon'],
    hours: ['学时', '培训学时', '课时', 'hours'],
    idNumber: ID_NUMBER_SYNONYMS,
    name: ['姓名', '学员姓名', '人员姓名', 'name'],
    completed: ['是否结业', '结业', '是否完成', 'completed'],
  }),
  required: ['title', 'unit', 'startOn', 'endOn', 'hours', 'idNumber', 'name'],
  canonical: {
    title: '培训名称',
    unit: '责任单位',
    occupationCode: '职业编码',
    skillLevel: '技能等级',
    planNo: '计划编号',
    startOn: '开始日期',
    endOn: '结束日期',
    hours: '学时',
    idNumber: '身份证号',
    name: '姓名',
    completed: '是否结业',
  },
};

/** The fields of an external-certificate file (#8): one row per certificate issued elsewhere. */
export const EXTERNAL_CERTIFICATE_FIELDS = [
  'kind',
  'number',
  'idNumber',
  'name',
  'occupationCode',
  'skillLevel',
  'itemName',
  'issuerName',
  'issuingProvinceCode',
  'issuedOn',
  'validUntil',
  'unit',
] as const;
export type ExternalCertificateField = (typeof EXTERNAL_CERTIFICATE_FIELDS)[number];

export const EXTERNAL_CERTIFICATE_HEADERS: HeaderSpec<ExternalCertificateField> = {
  synonyms: synonymMap<ExternalCertificateField>({
    ...IGNORED_SYNONYMS,
    kind: ['证书类型', '证书类别', '证书种类', 'kind'],
    number: ['证书编号', '证书号码', '证书号', '证件编号', 'number', 'certificatenumber'],
    idNumber: ID_NUMBER_SYNONYMS,
    name: ['姓名', '持证人', '持证人姓名', '人员姓名', 'name'],
    occupationCode: ['职业编码', '职业代码', '职业(工种)编码', 'occupationcode'],
    skillLevel: ['技能等级', '等级', '证书等级', '职业资格等级', 'skilllevel'],
    itemName: ['项目名称', '专项职业能力名称', '作业类别', '操作项目', '准操项目', 'itemname'],
    issuerName: ['发证机构', '发证单位', '发证机关', '评价机构', 'issuername'],
    issuingProvinceCode: ['发证省份代码', '发证省份', '省份代码', 'issuingprovincecode'],
    issuedOn: ['发证日期', '颁证日期', '取证日期', '初领日期', 'issuedon'],
    validUntil: ['有效期至', '有效期', '有效截止日期', '到期日期', 'validuntil'],
    unit: ['责任单位', '报送单位', '主管单位', 'unit', 'unitid'],
  }),
  required: ['kind', 'number', 'idNumber', 'name', 'issuerName', 'issuedOn'],
  canonical: {
    kind: '证书类型',
    number: '证书编号',
    idNumber: '身份证号',
    name: '姓名',
    occupationCode: '职业编码',
    skillLevel: '技能等级',
    itemName: '项目名称',
    issuerName: '发证机构',
    issuingProvinceCode: '发证省份代码',
    issuedOn: '发证日期',
    validUntil: '有效期至',
    unit: '责任单位',
  },
};
