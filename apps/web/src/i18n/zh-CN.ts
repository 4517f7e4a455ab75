/**
 * Simplified Chinese messages: the source of the message keys. Every other locale is typed
 * against these keys (see `Messages`), so a missing or extra key is a type error.
 * Placeholders are written `{name}` and filled by `t(key, { name })`.
 */
export const zhCN = {
  'app.name': '技能·人人持证',
  'app.shortName': '技能',
  'app.footer': '技能 Jineng · 商丘市“人人持证、技能河南”建设平台 · 开源软件',
  'app.openMenu': '打开菜单',
  'app.language': '界面语言',
  'app.health.ok': '服务正常',
  'app.health.degraded': '服务降级',
  'app.health.unreachable': '服务不可达',
  'app.health.version': '版本 {version}',

  'menu.home': '首页',
  'menu.regions': '行政区划',
  'menu.units': '责任单位',
  'menu.plans': '专项计划',
  'menu.occupations': '职业目录',

  'common.none': '—',
  'common.search': '搜索',
  'common.retry': '重试',
  'common.total': '共 {total} 条',
  'common.backHome': '返回首页',
  'common.listSeparator': '、',
  'common.more': '另有 {count} 个',
  'common.error.title': '出错了',
  'common.error.network': '无法连接服务器，请检查网络后重试。',
  'common.error.unexpected': '页面发生意外错误，请刷新后重试。',
  'common.error.http': '服务器返回错误（HTTP {status}）。',

  'home.title': '商丘市“人人持证、技能河南”建设',
  'home.intro':
    '“人人持证、技能河南”是河南省推动劳动者普遍取得职业资格证书、职业技能等级证书或专项职业能力证书的行动。本平台服务商丘市的实施工作：管理培训补贴券、培训班与考勤、技能评价、证书发放与公开核验、补贴台账和目标统计。',
  'home.intro2':
    '以下页面展示平台使用的基础数据：行政区划、责任单位与年度目标、专项计划及国家职业分类目录。',
  'home.card.regions': '商丘市、所辖县（市、区）及乡镇（街道），含统计用区划与城乡一体化示范区。',
  'home.card.units': '附件1的10个县级单位与附件2的28个市直部门及其2022年目标任务。',
  'home.card.plans': '12项专项计划的年度培训、取证和高技能人才最低任务。',
  'home.card.occupations': '《中华人民共和国职业分类大典（2022年版）》职业编码与名称检索。',
  'home.open': '查看',

  'regions.title': '行政区划',
  'regions.description': '商丘市及所辖县级单位，展开县级单位可查看乡镇（街道）。',
  'regions.col.code': '区划代码',
  'regions.col.name': '名称',
  'regions.col.level': '层级',
  'regions.level.province': '省级',
  'regions.level.prefecture': '地级',
  'regions.level.county': '县级',
  'regions.level.township': '乡级',
  'regions.tag.statisticsOnly': '统计用区划',
  'regions.tag.statisticsOnly.hint': '国家统计局统计用区划代码，不属于 GB/T 2260 行政区划。',
  'regions.tag.localUnit': '本地单位',
  'regions.tag.localUnit.hint': '功能区，没有国家区划代码，使用本地代码。',
  'regions.notFound': '未找到商丘市（411400）的区划数据。',

  'units.title': '责任单位',
  'units.note':
    '附件1按县（市、区）分解目标，附件2按市直部门分解目标。两表统计范围互有重叠，不能相加。',
  'units.annex1.title': '附件1：各县（市、区）2022年目标任务',
  'units.annex2.title': '附件2：市直各部门2022年目标任务',
  'units.others': '另有未列入附件的责任单位：{names}',
  'units.col.seq': '序号',
  'units.col.name': '单位',
  'units.col.seedName': '文件原文',
  'units.col.aliases': '别名',
  'units.col.training': '培训（人次）',
  'units.col.newSkilled': '新增技能人才（人）',
  'units.col.newHighSkilled': '新增高技能人才（人）',
  'units.tableTotal': '本表合计',

  'plans.title': '专项计划',
  'plans.description': '每项计划的年度最低任务，单位为人（次）。',
  'plans.col.no': '序号',
  'plans.col.name': '计划',
  'plans.col.training': '年培训（人次）',
  'plans.col.certified': '年取证（人）',
  'plans.col.highSkilled': '年高技能取证（人）',
  'plans.col.extra': '其他要求',
  'plans.col.units': '责任单位',
  'plans.trainingCountsGraduates': '年培养',
  'plans.trainingCountsGraduates.hint': '该数字为年培养人数（毕业生），不是培训人次。',
  'plans.certifiesAllTrained': '培训后取证率100%',

  'occupations.title': '职业目录',
  'occupations.description': '按职业编码（如 4-03-02-01）或中文名称检索。',
  'occupations.searchPlaceholder': '职业编码或名称',
  'occupations.col.code': '编码',
  'occupations.col.name': '名称',
  'occupations.col.level': '层级',
  'occupations.col.tags': '标识',
  'occupations.level.major': '大类',
  'occupations.level.medium': '中类',
  'occupations.level.minor': '小类',
  'occupations.level.occupation': '职业',
  'occupations.tag.green': '绿色职业',
  'occupations.tag.digital': '数字职业',
  'occupations.definition': '定义',
  'occupations.empty': '没有符合条件的职业',

  'notFound.title': '页面不存在',
  'notFound.subtitle': '您访问的地址 {path} 不存在。',
} as const;

export type MessageKey = keyof typeof zhCN;

/** A complete message table: exactly the keys of the Chinese source. */
export type Messages = Record<MessageKey, string>;
