import type { Messages } from './zh-CN';

export const en: Messages = {
  'app.name': 'Jineng · Certified Skills for All',
  'app.shortName': 'Jineng',
  'app.footer': 'Jineng (技能) · Shangqiu skills programme platform · open source',
  'app.openMenu': 'Open menu',
  'app.language': 'Interface language',
  'app.health.ok': 'Service up',
  'app.health.degraded': 'Service degraded',
  'app.health.unreachable': 'Service unreachable',
  'app.health.version': 'Version {version}',

  'menu.home': 'Home',
  'menu.regions': 'Regions',
  'menu.units': 'Responsible units',
  'menu.plans': 'Plans',
  'menu.occupations': 'Occupations',

  'common.none': '—',
  'common.search': 'Search',
  'common.retry': 'Retry',
  'common.total': '{total} in total',
  'common.backHome': 'Back to home',
  'common.listSeparator': ', ',
  'common.more': '{count} more',
  'common.error.title': 'Something went wrong',
  'common.error.network': 'Cannot reach the server. Check the network and try again.',
  'common.error.unexpected': 'This page hit an unexpected error. Reload and try again.',
  'common.error.http': 'The server answered with an error (HTTP {status}).',

  'home.title': 'Shangqiu: certified skills for everyone',
  'home.intro':
    '"Everyone holds a certificate, skilled Henan" is the Henan programme that helps every worker earn a vocational qualification, a skill-level certificate or a special-ability certificate. This platform runs the programme in Shangqiu: training vouchers, classes and attendance, skill evaluation, certificates that anyone can verify, the subsidy ledger and target reporting.',
  'home.intro2':
    'The pages below show the reference data the platform uses: regions, responsible units with their targets, the special plans and the national occupation classification.',
  'home.card.regions':
    'Shangqiu, its county-level units and their townships, including statistics-only areas and the integrated urban-rural demonstration zone.',
  'home.card.units':
    'The 10 county-level units of Annex 1 and the 28 city departments of Annex 2, with their 2022 targets.',
  'home.card.plans':
    'The 12 special plans with their yearly minimums for training, certification and high-skilled certification.',
  'home.card.occupations':
    'Search the Occupational Classification of the PRC (2022 edition) by code or name.',
  'home.open': 'Open',

  'regions.title': 'Regions',
  'regions.description':
    'Shangqiu and its county-level units; expand a county-level unit to see its townships.',
  'regions.col.code': 'Code',
  'regions.col.name': 'Name',
  'regions.col.level': 'Level',
  'regions.level.province': 'Province',
  'regions.level.prefecture': 'Prefecture',
  'regions.level.county': 'County level',
  'regions.level.township': 'Township',
  'regions.tag.statisticsOnly': 'Statistics only',
  'regions.tag.statisticsOnly.hint':
    'A statistical area code of the National Bureau of Statistics, not a GB/T 2260 division.',
  'regions.tag.localUnit': 'Local unit',
  'regions.tag.localUnit.hint': 'A functional zone without a national code; it has a local code.',
  'regions.notFound': 'No region data found for Shangqiu (411400).',

  'units.title': 'Responsible units',
  'units.note':
    'Annex 1 splits the targets by county-level unit and Annex 2 by city department. The two tables overlap and must never be added together.',
  'units.annex1.title': 'Annex 1: 2022 targets of the county-level units',
  'units.annex2.title': 'Annex 2: 2022 targets of the city departments',
  'units.others': 'Responsible units outside the annexes: {names}',
  'units.col.seq': 'No.',
  'units.col.name': 'Unit',
  'units.col.seedName': 'In the document',
  'units.col.aliases': 'Aliases',
  'units.col.training': 'Training (person-times)',
  'units.col.newSkilled': 'New skilled workers',
  'units.col.newHighSkilled': 'New high-skilled workers',
  'units.tableTotal': 'Total of this table',

  'plans.title': 'Plans',
  'plans.description': 'Yearly minimums of each plan, in persons (or person-times).',
  'plans.col.no': 'No.',
  'plans.col.name': 'Plan',
  'plans.col.training': 'Training per year (person-times)',
  'plans.col.certified': 'Certified per year',
  'plans.col.highSkilled': 'High-skilled certified per year',
  'plans.col.extra': 'Other requirements',
  'plans.col.units': 'Responsible units',
  'plans.trainingCountsGraduates': 'graduates',
  'plans.trainingCountsGraduates.hint':
    'This figure counts graduates per year, not training person-times.',
  'plans.certifiesAllTrained': 'All trainees certified (100%)',

  'occupations.title': 'Occupations',
  'occupations.description': 'Search by occupation code (e.g. 4-03-02-01) or Chinese name.',
  'occupations.searchPlaceholder': 'Code or name',
  'occupations.col.code': 'Code',
  'occupations.col.name': 'Name',
  'occupations.col.level': 'Level',
  'occupations.col.tags': 'Tags',
  'occupations.level.major': 'Major group',
  'occupations.level.medium': 'Medium group',
  'occupations.level.minor': 'Minor group',
  'occupations.level.occupation': 'Occupation',
  'occupations.tag.green': 'Green',
  'occupations.tag.digital': 'Digital',
  'occupations.definition': 'Definition',
  'occupations.empty': 'No matching occupation',

  'notFound.title': 'Page not found',
  'notFound.subtitle': 'There is no page at {path}.',
};
