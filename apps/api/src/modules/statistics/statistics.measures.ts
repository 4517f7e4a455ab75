import type { Measure } from './statistics.schema.js';

/*
 * What each figure means (口径), in one place, shown to users beside the figures. The SQL that
 * computes them is migrations/0015 (what counts once) and 0016 (when, and for whom).
 */

export interface MeasureDefinition {
  measure: Measure;
  name: { zh: string; en: string };
  unit: { zh: string; en: string };
  definition: { zh: string; en: string };
}

export const MEASURE_DEFINITIONS: readonly MeasureDefinition[] = [
  {
    measure: 'training',
    name: { zh: '职业技能培训', en: 'Training person-times' },
    unit: { zh: '人次', en: 'person-times' },
    definition: {
      zh:
        '期内结束并考核合格的培训人次：培训券班级的结业学员与各单位填报（含导入、接口）的完成学员。' +
        '同一人同一职业（无职业时按培训名称）同一月只计一次，先结束的记录计入；培训券记录优先于填报。',
      en:
        'Trainee-courses that ended (and passed) in the period: voucher-class completers and ' +
        "completers in units' reports (incl. imports and API). One person, one occupation (or " +
        'title when there is none), one month counts once: the earliest record, the voucher ' +
        'loop before a report.',
    },
  },
  {
    measure: 'skilled',
    name: { zh: '新增技能人才', en: 'New skilled talents' },
    unit: { zh: '人', en: 'persons' },
    definition: {
      zh:
        '期内首次取得证书或取得更高等级证书的人数（本平台发证、外部证书与填报证书合并去重）。' +
        '同一人一年只计一次，计在当年第一张此类证书的发证日。',
      en:
        'Persons who received their first certificate, or one of a higher level than any they ' +
        'held, in the period (our certificates, external and reported ones, deduplicated). A ' +
        "person counts once a year, on the issue date of that year's first such certificate.",
    },
  },
  {
    measure: 'high_skilled',
    name: { zh: '新增高技能人才', en: 'New high-skilled talents' },
    unit: { zh: '人', en: 'persons' },
    definition: {
      zh: '期内新取得三级（高级工）及以上证书、且等级高于其原有证书的人数。同一人一年只计一次。',
      en:
        'Persons newly certified at level 3 (senior worker) or above, higher than any ' +
        'certificate they held, in the period. A person counts once a year.',
    },
  },
];

export const ATTRIBUTION_RULE = {
  zh:
    '市直部门：计入记录的责任单位（培训券班级所属单位、填报单位；本平台证书计入促成该证书的培训券班级单位）。' +
    '县（市、区）：责任单位为县级单位的计入该单位；否则计入培训地或发证地所在县，' +
    '再否则计入本人居住地（乡镇优先，示范区按其所辖乡镇）、户籍地所在县。' +
    '两个附件的口径相互重叠，不可相加。',
  en:
    "City departments: the record's responsible unit (the voucher class's unit, the reporting " +
    'unit; our certificates the unit of the voucher class that led to them). Counties: the unit when it ' +
    'is a county-level unit; otherwise the county where the training or evaluation took place, ' +
    "then the person's residence (township first, so the 示范区 gets its townships), then " +
    'household. The two annexes overlap: never add them together.',
};
