import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import { api } from '../../api/client';
import type { ImportKind, ImportSummary, RejectedCell } from '../../api/types';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT, type Translate } from '../../i18n';

const ACCEPT = '.xlsx,.csv';
const STATUS_COLORS: Record<ImportSummary['status'], string> = {
  committed: 'green',
  dry_run: 'blue',
  running: 'processing',
  failed: 'red',
};

function Counts({ summary, t }: { summary: ImportSummary; t: Translate }) {
  const counts: { key: string; title: string; value: number; color?: string }[] = [
    {
      key: 'imported',
      title: t('imports.count.imported'),
      value: summary.imported,
      color: '#389e0d',
    },
    { key: 'updated', title: t('imports.count.updated'), value: summary.updated, color: '#1f5fbf' },
    { key: 'unchanged', title: t('imports.count.unchanged'), value: summary.unchanged },
    {
      key: 'rejected',
      title: t('imports.count.rejected'),
      value: summary.rejectedRows,
      color: summary.rejectedRows > 0 ? '#cf1322' : undefined,
    },
  ];
  return (
    <Row gutter={[16, 16]}>
      {counts.map((count) => (
        <Col key={count.key} xs={12} md={6}>
          <Card size="small" data-testid={`import-count-${count.key}`}>
            <Statistic
              title={count.title}
              value={count.value}
              styles={{ content: { color: count.color } }}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** Employment data: the hiring and placement subsidy claims the committed rows made due. */
function ClaimCounts({
  claims,
  t,
}: {
  claims: NonNullable<ImportSummary['claims']>;
  t: Translate;
}) {
  return (
    <Card size="small" title={t('imports.claims.title')} data-testid="import-claims">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic
            title={t('imports.claims.created')}
            value={claims.created}
            styles={{ content: { color: claims.created > 0 ? '#389e0d' : undefined } }}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('imports.claims.refused')}
            value={claims.refused}
            styles={{ content: { color: claims.refused > 0 ? '#d46b08' : undefined } }}
          />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Text type="secondary">{t('imports.claims.hint')}</Typography.Text>
        </Col>
      </Row>
    </Card>
  );
}

function Result({ summary }: { summary: ImportSummary }) {
  const t = useT();
  const columns: TableColumnsType<RejectedCell> = [
    { title: t('imports.col.row'), dataIndex: 'row', width: 80 },
    { title: t('imports.col.column'), dataIndex: 'column', width: 140 },
    {
      title: t('imports.col.code'),
      dataIndex: 'code',
      responsive: ['md'],
      render: (value: string) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {value}
        </Typography.Text>
      ),
    },
    { title: t('imports.col.message'), dataIndex: 'message' },
  ];
  return (
    <Card
      title={
        <Space wrap>
          <span>{t('imports.result')}</span>
          <Tag color={STATUS_COLORS[summary.status]}>{t(`imports.status.${summary.status}`)}</Tag>
        </Space>
      }
      extra={
        <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
          {summary.fileName}
        </Typography.Text>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {summary.status === 'dry_run' ? (
          <Alert type="info" showIcon title={t('imports.dryRun.done')} />
        ) : null}
        <Counts summary={summary} t={t} />
        {summary.claims ? <ClaimCounts claims={summary.claims} t={t} /> : null}
        {summary.rejectedRows > 0 ? (
          <>
            <Flex gap={12} wrap justify="space-between" align="center">
              <Typography.Text strong>
                {t('imports.rejected.title', {
                  rows: summary.rejectedRows,
                  problems: summary.rejectedTotal,
                })}
              </Typography.Text>
              {summary.failedRowsUrl ? (
                <Space wrap>
                  <Button icon={<DownloadOutlined />} href={summary.failedRowsUrl} download>
                    {t('imports.failedRows')}
                  </Button>
                  {summary.failedRowsExpiresAt ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('imports.failedRows.until', {
                        time: formatDateTime(summary.failedRowsExpiresAt),
                      })}
                    </Typography.Text>
                  ) : null}
                </Space>
              ) : null}
            </Flex>
            {summary.rejectedTotal > summary.rejected.length ? (
              <Alert
                type="warning"
                showIcon
                title={t('imports.rejected.truncated', { shown: summary.rejected.length })}
              />
            ) : null}
            <Table<RejectedCell>
              rowKey={(cell) => `${cell.row}:${cell.column}:${cell.code}`}
              size="small"
              columns={columns}
              dataSource={summary.rejected}
              scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            />
          </>
        ) : null}
      </Space>
    </Card>
  );
}

/**
 * 批量导入: a roster (persons) or a list of organisations from an .xlsx or .csv file. The
 * server checks every row, imports the valid ones together, and reports the others with the
 * row number Excel shows; the failed rows come back as a workbook to fix and upload again.
 */
export default function ImportsPage() {
  const t = useT();
  const client = useQueryClient();
  const me = useAccount();
  const kinds: ImportKind[] = [];
  if (can(me, 'persons.import')) kinds.push('persons');
  if (can(me, 'organisations.import')) kinds.push('organisations');
  if (can(me, 'employment.write')) kinds.push('employments', 'contributions');
  if (can(me, 'activity.report')) kinds.push('training_reports', 'external_certificates');
  const [params, setParams] = useSearchParams();
  const requested = params.get('kind');
  const kind: ImportKind =
    kinds.find((candidate) => candidate === requested) ?? kinds[0] ?? 'persons';
  const [dryRun, setDryRun] = useState(false);
  const [overwrite, setOverwrite] = useState(false);
  const [progress, setProgress] = useState(0);
  // Employment data has no recorded fields to protect: each row is the latest word.
  // Unit reports (#8) have no overwrite either: a correction is made on the report itself.
  const employmentData =
    kind === 'employments' ||
    kind === 'contributions' ||
    kind === 'training_reports' ||
    kind === 'external_certificates';

  const upload = useMutation({
    mutationFn: (file: File) =>
      api.imports.upload(kind, file, {
        dryRun,
        overwrite: employmentData ? false : overwrite,
        onProgress: setProgress,
      }),
    onMutate: () => setProgress(0),
    onSuccess: (summary) => {
      if (summary.status === 'committed') {
        void client.invalidateQueries({ queryKey: [summary.kind] });
        if (summary.claims) {
          void client.invalidateQueries({ queryKey: ['persons', 'employment'] });
          void client.invalidateQueries({ queryKey: ['subsidyClaims'] });
          void client.invalidateQueries({ queryKey: ['placements'] });
        }
      }
    },
  });

  const chooseKind = (next: ImportKind) => {
    upload.reset();
    setParams(next === kinds[0] ? new URLSearchParams() : new URLSearchParams({ kind: next }));
  };

  return (
    <>
      <PageTitle titleKey="imports.title" descriptionKey="imports.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {kinds.length > 1 ? (
          <Segmented<ImportKind>
            value={kind}
            onChange={chooseKind}
            options={kinds.map((value) => ({ value, label: t(`imports.kind.${value}`) }))}
          />
        ) : null}
        <Card size="small" title={t('imports.step.template')}>
          <Flex gap={12} wrap align="center">
            <Button icon={<DownloadOutlined />} href={api.imports.templateUrl(kind)} download>
              {t(`imports.template.${kind}`)}
            </Button>
            <Typography.Text type="secondary">{t(`imports.template.hint.${kind}`)}</Typography.Text>
          </Flex>
        </Card>
        <Card size="small" title={t('imports.step.upload')}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Flex gap={16} wrap>
              <Checkbox
                checked={dryRun}
                disabled={upload.isPending}
                onChange={(event) => setDryRun(event.target.checked)}
              >
                {t('imports.option.dryRun')}
              </Checkbox>
              {employmentData ? null : (
                <Checkbox
                  checked={overwrite}
                  disabled={upload.isPending}
                  onChange={(event) => setOverwrite(event.target.checked)}
                >
                  {t('imports.option.overwrite')}
                </Checkbox>
              )}
            </Flex>
            <Upload.Dragger
              accept={ACCEPT}
              multiple={false}
              showUploadList={false}
              disabled={upload.isPending}
              // The file goes up through our client, which reports progress and problems.
              customRequest={({ file }) => {
                if (file instanceof File) upload.mutate(file);
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.drop')}</p>
              <p className="ant-upload-hint">{t('imports.drop.hint')}</p>
            </Upload.Dragger>
            {upload.isPending ? (
              <div>
                <Typography.Text type="secondary">
                  {progress < 100 ? t('imports.uploading') : t('imports.checking')}
                </Typography.Text>
                <Progress percent={progress} status="active" />
              </div>
            ) : null}
            {upload.error ? <ErrorAlert error={upload.error} /> : null}
          </Space>
        </Card>
        {upload.data ? <Result summary={upload.data} /> : null}
      </Space>
    </>
  );
}
