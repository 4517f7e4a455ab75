import { DeleteOutlined, PlusOutlined, SnippetsOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Flex, Input, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useT } from '../../i18n';
import {
  EMPTY_TRAINEE,
  mergeTrainees,
  parsePastedTrainees,
  traineeProblems,
  type TraineeRow,
} from './trainees';

interface Keyed extends TraineeRow {
  index: number;
}

/**
 * The trainees of a report as an editable table (身份证号, 姓名, 是否结业), with a box to paste
 * rows copied from Excel. A form control: `value`/`onChange` for `Form.Item`. `serverErrors`
 * are the API's messages by row index, shown under the row they belong to.
 */
export function TraineesEditor({
  value = [],
  onChange,
  serverErrors,
  showProblems,
}: {
  value?: TraineeRow[];
  onChange?: (rows: TraineeRow[]) => void;
  serverErrors?: ReadonlyMap<number, string[]>;
  /** Whether the rows' own problems are shown (after a first try to submit). */
  showProblems: boolean;
}) {
  const t = useT();
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');
  const [notice, setNotice] = useState<{ type: 'success' | 'warning'; text: string } | null>(null);
  const problems = traineeProblems(value);
  const change = (index: number, patch: Partial<TraineeRow>) =>
    onChange?.(value.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const applyPaste = () => {
    const { rows, skipped } = parsePastedTrainees(pasted);
    if (rows.length === 0) {
      setNotice({ type: 'warning', text: t('trainingReport.trainees.paste.nothing') });
      return;
    }
    onChange?.(mergeTrainees(value, rows));
    setPasted('');
    setPasting(false);
    const added = t('trainingReport.trainees.paste.added', { count: rows.length });
    setNotice(
      skipped.length > 0
        ? {
            type: 'warning',
            text: `${added}；${t('trainingReport.trainees.paste.skipped', { lines: skipped.join('、') })}`,
          }
        : { type: 'success', text: added },
    );
  };

  const rowMessages = (index: number): string[] => [
    ...(showProblems
      ? (problems.get(index) ?? []).map((problem) =>
          t(`trainingReport.trainees.problem.${problem}`),
        )
      : []),
    ...(serverErrors?.get(index) ?? []),
  ];

  const columns: TableColumnsType<Keyed> = [
    { title: '#', key: 'row', width: 48, render: (_, row) => row.index + 1 },
    {
      title: t('trainingReport.trainees.idNumber'),
      key: 'idNumber',
      render: (_, row) => {
        const messages = rowMessages(row.index);
        return (
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <Input
              aria-label={t('trainingReport.trainees.rowIdNumber', { row: row.index + 1 })}
              value={row.idNumber}
              status={messages.length > 0 ? 'error' : undefined}
              autoComplete="off"
              maxLength={20}
              onChange={(event) => change(row.index, { idNumber: event.target.value })}
            />
            {messages.map((message) => (
              <Typography.Text key={message} type="danger" style={{ fontSize: 12 }}>
                {message}
              </Typography.Text>
            ))}
          </Space>
        );
      },
    },
    {
      title: t('trainingReport.trainees.name'),
      key: 'name',
      width: 160,
      render: (_, row) => (
        <Input
          aria-label={t('trainingReport.trainees.rowName', { row: row.index + 1 })}
          value={row.name}
          maxLength={50}
          onChange={(event) => change(row.index, { name: event.target.value })}
        />
      ),
    },
    {
      title: t('trainingReport.trainees.completed'),
      key: 'completed',
      width: 90,
      render: (_, row) => (
        <Checkbox
          aria-label={t('trainingReport.trainees.rowCompleted', { row: row.index + 1 })}
          checked={row.completed}
          onChange={(event) => change(row.index, { completed: event.target.checked })}
        />
      ),
    },
    {
      key: 'remove',
      width: 48,
      render: (_, row) => (
        <Button
          type="text"
          icon={<DeleteOutlined />}
          aria-label={t('trainingReport.trainees.rowRemove', { row: row.index + 1 })}
          onClick={() => onChange?.(value.filter((_, i) => i !== row.index))}
        />
      ),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex gap={8} wrap align="center">
        <Button
          icon={<PlusOutlined />}
          onClick={() => onChange?.([...value, { ...EMPTY_TRAINEE }])}
        >
          {t('trainingReport.trainees.add')}
        </Button>
        <Button icon={<SnippetsOutlined />} onClick={() => setPasting((open) => !open)}>
          {t('trainingReport.trainees.paste')}
        </Button>
        <Typography.Text type="secondary">
          {t('trainingReport.trainees.count', { count: value.length })}
        </Typography.Text>
      </Flex>
      {pasting ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('trainingReport.trainees.paste.hint')}
          </Typography.Text>
          <Input.TextArea
            aria-label={t('trainingReport.trainees.paste.label')}
            rows={5}
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
          />
          <Button type="primary" ghost onClick={applyPaste} disabled={pasted.trim() === ''}>
            {t('trainingReport.trainees.paste.apply')}
          </Button>
        </Space>
      ) : null}
      {notice ? <Alert type={notice.type} showIcon title={notice.text} /> : null}
      <Table<Keyed>
        rowKey="index"
        size="small"
        columns={columns}
        dataSource={value.map((row, index) => ({ ...row, index }))}
        pagination={value.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
      />
    </Space>
  );
}
