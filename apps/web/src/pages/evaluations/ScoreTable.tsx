import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, InputNumber, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import {
  evaluationsApi,
  type Candidate,
  type ScoresBody,
  type SessionDetail,
} from '../../api/evaluations';
import { describeError } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { yuan } from '../vouchers/voucherCatalog';
import { ResultTag } from './evaluationCatalog';

export interface ScoreDraft {
  theory: number | null;
  practical: number | null;
  absent: boolean;
}

const draftOf = (c: Candidate): ScoreDraft => ({
  theory: c.theoryScore,
  practical: c.practicalScore,
  absent: c.result === 'absent',
});

/** What to send for a row: absent with no scores, or the parts the session holds. */
export function scoresBody(draft: ScoreDraft, hasTheory: boolean): ScoresBody {
  if (draft.absent) return { absent: true, theoryScore: null, practicalScore: null };
  return {
    absent: false,
    theoryScore: hasTheory ? draft.theory : null,
    practicalScore: draft.practical,
  };
}

const sameDraft = (a: ScoreDraft, b: ScoreDraft) =>
  a.absent === b.absent && a.theory === b.theory && a.practical === b.practical;

/**
 * Score entry (成绩录入): theory and practical 0–100 or absent per candidate, saved row by row.
 * The result is the server's (pass iff every part reaches its pass mark); read-only once the
 * session is submitted.
 */
export function ScoreTable({ session }: { session: SessionDetail }) {
  const t = useT();
  const queryClient = useQueryClient();
  const locked = session.state === 'submitted';
  const [drafts, setDrafts] = useState<Record<string, ScoreDraft>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const draft = (c: Candidate) => drafts[c.id] ?? draftOf(c);
  const edit = (c: Candidate, change: Partial<ScoreDraft>) =>
    setDrafts((current) => ({ ...current, [c.id]: { ...draft(c), ...change } }));

  const save = useMutation({
    mutationFn: ({ candidate, body }: { candidate: Candidate; body: ScoresBody }) =>
      evaluationsApi.scores(session.id, candidate.id, body),
    onSuccess: (saved) => {
      queryClient.setQueryData<SessionDetail>(['evaluations', 'one', session.id], (current) =>
        current
          ? {
              ...current,
              candidates: current.candidates.map((c) => (c.id === saved.id ? saved : c)),
            }
          : current,
      );
      setDrafts(({ [saved.id]: _saved, ...rest }) => rest);
      setErrors(({ [saved.id]: _error, ...rest }) => rest);
    },
    onError: (error, { candidate }) =>
      setErrors((current) => ({ ...current, [candidate.id]: describeError(error, t) })),
  });

  const mark = (c: Candidate, part: 'theory' | 'practical') => {
    const value = draft(c);
    const label =
      part === 'theory'
        ? t('evaluation.score.theoryOf', { name: c.holderName })
        : t('evaluation.score.practicalOf', { name: c.holderName });
    return (
      <InputNumber<number>
        aria-label={label}
        min={0}
        max={100}
        precision={0}
        disabled={locked || value.absent}
        value={value[part]}
        onChange={(next) => edit(c, { [part]: next ?? null })}
        style={{ width: 80 }}
      />
    );
  };

  const columns: TableColumnsType<Candidate> = [
    { title: t('certificate.holder'), dataIndex: 'holderName' },
    {
      title: t('certificate.idNumber'),
      dataIndex: 'holderIdNumberMasked',
      responsive: ['md'],
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    {
      title: t('evaluation.source'),
      dataIndex: 'source',
      responsive: ['lg'],
      render: (source: Candidate['source']) => t(`evaluation.source.${source}`),
    },
    {
      title: t('evaluation.workerPaid'),
      dataIndex: 'workerPaid',
      responsive: ['lg'],
      render: (paid: boolean, c) =>
        paid
          ? t('evaluation.workerPaid.yes', {
              amount: c.feePaidFen === null ? '—' : yuan(c.feePaidFen),
            })
          : t('evaluation.workerPaid.no'),
    },
    ...(session.hasTheory
      ? [
          {
            title: t('evaluation.score.theory', { mark: session.theoryPassMark ?? 60 }),
            key: 'theory',
            render: (_: unknown, c: Candidate) => mark(c, 'theory'),
          },
        ]
      : []),
    {
      title: t('evaluation.score.practical', { mark: session.practicalPassMark }),
      key: 'practical',
      render: (_, c) => mark(c, 'practical'),
    },
    {
      title: t('evaluation.absent'),
      key: 'absent',
      render: (_, c) => (
        <Checkbox
          aria-label={t('evaluation.absentOf', { name: c.holderName })}
          disabled={locked}
          checked={draft(c).absent}
          onChange={(event) =>
            edit(
              c,
              event.target.checked
                ? { absent: true, theory: null, practical: null }
                : {
                    absent: false,
                  },
            )
          }
        />
      ),
    },
    {
      title: t('evaluation.result'),
      dataIndex: 'result',
      render: (result: Candidate['result']) => <ResultTag result={result} />,
    },
    ...(locked
      ? []
      : [
          {
            title: t('common.actions'),
            key: 'save',
            render: (_: unknown, c: Candidate) => {
              const changed = !sameDraft(draft(c), draftOf(c));
              const error = errors[c.id];
              return (
                <>
                  <Button
                    size="small"
                    type={changed ? 'primary' : 'default'}
                    disabled={!changed}
                    loading={save.isPending && save.variables?.candidate.id === c.id}
                    aria-label={t('evaluation.score.saveOf', { name: c.holderName })}
                    onClick={() =>
                      save.mutate({ candidate: c, body: scoresBody(draft(c), session.hasTheory) })
                    }
                  >
                    {t('common.save')}
                  </Button>
                  {error ? (
                    <Tooltip title={error}>
                      <Typography.Text type="danger" style={{ marginInlineStart: 8 }}>
                        {error}
                      </Typography.Text>
                    </Tooltip>
                  ) : null}
                </>
              );
            },
          },
        ]),
  ];

  return (
    <Table<Candidate>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={session.candidates}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}
