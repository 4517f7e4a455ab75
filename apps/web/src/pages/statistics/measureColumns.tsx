import { Button } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Measure, MeasureProgress, Measures } from '../../api/statistics';
import { formatCount } from '../../format';
import type { Locale, Translate } from '../../i18n';
import { ProgressCell } from './ProgressCell';
import { inWan } from './statisticsFormat';

/** A figure's drill-down link: the number, which opens the records behind it. */
export function FigureLink({
  value,
  label,
  onOpen,
  locale,
}: {
  value: number;
  label: string;
  /** Absent: the account may not read the records, the number is plain text. */
  onOpen?: () => void;
  locale: Locale;
}) {
  const text = formatCount(value, locale);
  if (!onOpen || value === 0) return <span>{text}</span>;
  return (
    <Button type="link" size="small" style={{ padding: 0 }} aria-label={label} onClick={onOpen}>
      {text}
    </Button>
  );
}

const byNumber = (a: number | null, b: number | null) =>
  // A missing value (no target, no rank) sorts after every number.
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b;

/**
 * One measure's column group of a progress table: yearly target (万, as the annex prints it),
 * actual (a drill-down link), progress vs the year elapsed with its status, rank and the
 * projected year-end; each sortable.
 */
export function measureColumns<Row extends { measures: Measures }>(options: {
  measure: Measure;
  t: Translate;
  locale: Locale;
  elapsedShare: number;
  /** The row's name in the link's accessible label. */
  nameOf: (row: Row) => string;
  /** Opens the records behind the row's actual; undefined hides the links. */
  drill?: (row: Row, measure: Measure) => void;
  rank?: boolean;
}): TableColumnsType<Row>[number] {
  const { measure, t, locale, elapsedShare, nameOf, drill } = options;
  const of = (row: Row): MeasureProgress => row.measures[measure];
  const name = t(`stats.measure.${measure}`);
  const children: TableColumnsType<Row> = [
    {
      title: t(`stats.col.target.${measure}`),
      key: `${measure}.target`,
      align: 'right',
      sorter: (a, b) => byNumber(of(a).target, of(b).target),
      render: (_, row) => {
        const target = of(row).target;
        return target === null ? t('common.none') : inWan(target);
      },
    },
    {
      title: t(`stats.col.actual.${measure}`),
      key: `${measure}.actual`,
      align: 'right',
      sorter: (a, b) => of(a).actual - of(b).actual,
      render: (_, row) => (
        <FigureLink
          value={of(row).actual}
          locale={locale}
          label={t('stats.drill.label', { name: nameOf(row), measure: name })}
          onOpen={drill ? () => drill(row, measure) : undefined}
        />
      ),
    },
    {
      title: t('stats.col.progress'),
      key: `${measure}.progress`,
      sorter: (a, b) => byNumber(of(a).progress, of(b).progress),
      render: (_, row) => (
        <ProgressCell
          progress={of(row).progress}
          status={of(row).status}
          elapsedShare={elapsedShare}
        />
      ),
    },
  ];
  if (options.rank !== false) {
    children.push({
      title: t('stats.col.rank'),
      key: `${measure}.rank`,
      align: 'right',
      sorter: (a, b) => byNumber(of(a).rank, of(b).rank),
      render: (_, row) => of(row).rank ?? t('common.none'),
    });
  }
  children.push({
    title: t('stats.col.projected'),
    key: `${measure}.projected`,
    align: 'right',
    sorter: (a, b) => of(a).projected - of(b).projected,
    render: (_, row) => formatCount(of(row).projected, locale),
  });
  return { title: name, key: measure, children };
}
