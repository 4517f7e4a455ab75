import type { activityTrainingsZhCN } from './activityTrainings.zh-CN';

/** English for the messages of `activityTrainings.zh-CN.ts`. */
export const activityTrainingsEn: Record<keyof typeof activityTrainingsZhCN, string> = {
  'menu.activity': 'Unit reporting',

  'activity.title': 'Unit reporting',
  'activity.description':
    'Responsible units and institutions report trainings held outside vouchers, record certificates issued elsewhere, and see this period’s figures as they count in #9. Once the city closes a month, its reports can no longer be corrected.',
  'activity.tab.trainings': 'Training reports',
  'activity.tab.certificates': 'External certificates',
  'activity.tab.totals': 'Period totals',

  'trainingReport.title': 'Training',
  'trainingReport.unit': 'Responsible unit',
  'trainingReport.plan': 'Plan',
  'trainingReport.occupation': 'Occupation',
  'trainingReport.skillLevel': 'Skill level',
  'trainingReport.dates': 'Dates',
  'trainingReport.startOn': 'Start date',
  'trainingReport.endOn': 'End date',
  'trainingReport.hours': 'Hours',
  'trainingReport.trainees': 'Trainees',
  'trainingReport.traineeCount': '{completed}/{total} completed',
  'trainingReport.source': 'Source',
  'trainingReport.source.unit_report': 'Unit report',
  'trainingReport.source.import': 'Import',
  'trainingReport.source.api': 'API',
  'trainingReport.status': 'Status',
  'trainingReport.status.active': 'Active',
  'trainingReport.status.withdrawn': 'Withdrawn',
  'trainingReport.period': 'Month',
  'trainingReport.period.closed': 'Closed',
  'trainingReport.empty': 'No training reports',
  'trainingReport.lead':
    'Report trainings not paid by vouchers (safety training for high-risk trades, 1+X, enterprise training, farmer training). Trainees are matched to the person registry by ID number and registered when missing; a report counts in the month it ended.',

  'trainingReport.filter.period': 'Month',
  'trainingReport.filter.status': 'Any status',
  'trainingReport.filter.unit': 'Any responsible unit',

  'trainingReport.new': 'Report a training',
  'trainingReport.bulk': 'Bulk import',
  'trainingReport.form.unit.placeholder': 'Choose the responsible unit',
  'trainingReport.form.title.placeholder':
    'e.g. 2026 safety training for high-risk trades, class 1',
  'trainingReport.form.occupation.hint':
    'Leave empty for training without an occupation (e.g. safety training): it counts by its title',
  'trainingReport.form.plan.placeholder': 'Leave empty when not part of a plan',
  'trainingReport.form.required': 'Required',
  'trainingReport.form.unit.required': 'Choose the responsible unit',
  'trainingReport.form.endOn.beforeStart': 'The end date cannot be before the start date',
  'trainingReport.form.endOn.future':
    'A training is reported once it has ended: the end date cannot be after today',
  'trainingReport.form.hours.invalid':
    'Hours must be more than 0 and at most 5000, with at most one decimal',
  'trainingReport.form.submit': 'Submit',
  'trainingReport.form.cancel': 'Cancel',
  'trainingReport.form.done': 'Done',

  'trainingReport.trainees.idNumber': 'ID number',
  'trainingReport.trainees.name': 'Name',
  'trainingReport.trainees.completed': 'Completed',
  'trainingReport.trainees.rowIdNumber': 'ID number, row {row}',
  'trainingReport.trainees.rowName': 'Name, row {row}',
  'trainingReport.trainees.rowCompleted': 'Completed, row {row}',
  'trainingReport.trainees.rowRemove': 'Remove row {row}',
  'trainingReport.trainees.add': 'Add a row',
  'trainingReport.trainees.paste': 'Paste from Excel',
  'trainingReport.trainees.paste.label': 'Pasted rows',
  'trainingReport.trainees.paste.hint':
    'In Excel, select the columns ID number, name and completed (name first works too), copy and paste here, one trainee per line; “否” in the third column means not completed, empty means completed.',
  'trainingReport.trainees.paste.apply': 'Add to the trainees',
  'trainingReport.trainees.paste.added': '{count} trainees added',
  'trainingReport.trainees.paste.skipped':
    'Line(s) {lines} had neither ID number nor name: skipped',
  'trainingReport.trainees.paste.nothing':
    'No trainees found: paste one trainee per line, cells separated by tabs',
  'trainingReport.trainees.count': '{count} trainees',
  'trainingReport.trainees.required': 'Add at least one trainee',
  'trainingReport.trainees.invalid': '{count} trainee row(s) need fixing',
  'trainingReport.trainees.problem.idNumber.required': 'Enter the ID number',
  'trainingReport.trainees.problem.idNumber.shape':
    'An ID number has 18 characters; the last may be X',
  'trainingReport.trainees.problem.idNumber.duplicate': 'Same ID number as an earlier trainee',
  'trainingReport.trainees.problem.name': 'Enter the name',
  'trainingReport.trainees.tooMany':
    'At most {max} trainees in one report; use the bulk import for more',

  'trainingReport.problem.END_BEFORE_START': 'The end date is before the start date',
  'trainingReport.problem.END_IN_FUTURE':
    'The end date is after today: report a training once it has ended',
  'trainingReport.problem.HOURS_INVALID':
    'Hours must be more than 0 and at most 5000, with at most one decimal',
  'trainingReport.field.occupationUnknown': 'Not an occupation of the 2022 catalogue',
  'trainingReport.field.planUnknown': 'No plan has this number',

  'trainingReport.outcome.title': 'Saved the training “{title}”, counted in {period}',
  'trainingReport.outcome.corrected': 'Saved the correction of “{title}”, counted in {period}',
  'trainingReport.outcome.summary':
    '{matched} matched in the registry, {created} newly registered, {rejected} not accepted',
  'trainingReport.outcome.rejectedHint':
    'Trainees not accepted are not part of this training; check them and send the list again with “Correct”.',
  'trainingReport.outcome.row': 'No.',
  'trainingReport.outcome.result': 'Result',
  'trainingReport.outcome.reason': 'Reason',
  'trainingReport.outcome.matched': 'Matched',
  'trainingReport.outcome.created': 'Registered',
  'trainingReport.outcome.rejected': 'Not accepted',
  'trainingReport.outcome.code.ID_NUMBER_INVALID': 'Not a valid citizen ID number',
  'trainingReport.outcome.code.NAME_MISMATCH': 'The registry holds another name for this ID number',
  'trainingReport.outcome.code.DUPLICATE_IN_REQUEST': 'Same ID number as an earlier trainee',
  'trainingReport.outcome.code.CONCURRENT_REGISTRATION':
    'This ID number is being registered at the same moment: try again',

  'trainingReport.detail.title': 'Training report',
  'trainingReport.detail.reportedAt': 'Reported at',
  'trainingReport.detail.updatedAt': 'Last corrected',
  'trainingReport.detail.version': 'Version',
  'trainingReport.detail.closed': 'This month is closed: the report can no longer be corrected',
  'trainingReport.detail.withdrawn': 'This report was withdrawn and no longer counts',
  'trainingReport.correct': 'Correct',
  'trainingReport.correct.title': 'Correct the training report',
  'trainingReport.correct.trainees': 'Also correct the trainees (enter the whole list again)',
  'trainingReport.correct.stale':
    'Someone corrected this report after you opened it: reload it, then correct it.',
  'trainingReport.correct.reload': 'Reload',
  'trainingReport.withdraw': 'Withdraw',
  'trainingReport.withdraw.title': 'Withdraw the training “{title}”',
  'trainingReport.withdraw.reason': 'Reason',
  'trainingReport.withdraw.reason.required': 'Give the reason',
  'trainingReport.withdraw.ok': 'Withdraw',
  'trainingReport.completed.yes': 'Completed',
  'trainingReport.completed.no': 'Not completed',
};
