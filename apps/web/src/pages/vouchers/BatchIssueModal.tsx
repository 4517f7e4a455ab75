import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Col, Form, Modal, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useKeyGroups, useRegions } from '../../api/queries';
import type { BatchIssueBody, BatchIssueResult, EmploymentStatus } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SHANGQIU } from '../../deployment';
import { useLocale, useT } from '../../i18n';
import { EMPLOYMENT_STATUSES } from '../persons/personCatalog';
import { newIdempotencyKey, TermFields, termsOf, type TermValues } from './voucherCatalog';

interface BatchValues extends TermValues {
  regionCode?: string;
  keyGroup?: string;
  employmentStatus?: EmploymentStatus;
}

function bodyOf(values: BatchValues, preview: boolean): BatchIssueBody {
  return {
    filter: {
      regionCode: values.regionCode,
      keyGroup: values.keyGroup,
      employmentStatus: values.employmentStatus,
    },
    occupationCode: values.occupationCode,
    occupationLevel: values.occupationLevel,
    ...termsOf(values),
    preview,
  };
}

/**
 * 批量发放: the filter and terms are first sent with `preview: true`, which only counts; the
 * count is shown and only then can the same request be confirmed. Any change to the form throws
 * the preview away, so what is confirmed is always what was counted.
 */
export function BatchIssueModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<BatchValues>();
  const counties = useRegions({ parent: SHANGQIU });
  const keyGroups = useKeyGroups();
  const [preview, setPreview] = useState<{ body: BatchIssueBody; result: BatchIssueResult }>();
  const [key, setKey] = useState('');

  const previewing = useMutation({
    mutationFn: (body: BatchIssueBody) => api.vouchers.batch(body, newIdempotencyKey()),
    onSuccess: (result, body) => {
      setPreview({ body, result });
      setKey(newIdempotencyKey());
    },
  });
  const issuing = useMutation({
    mutationFn: (body: BatchIssueBody) => api.vouchers.batch(body, key),
    onSuccess: (result) => {
      void message.success(t('vouchers.batch.done', { count: result.issued }));
      close();
    },
  });

  function close() {
    form.resetFields();
    setPreview(undefined);
    previewing.reset();
    issuing.reset();
    onClose();
  }

  const count = preview?.result.count ?? 0;
  return (
    <Modal
      open={open}
      title={t('vouchers.batch.title')}
      onCancel={close}
      width={640}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button loading={previewing.isPending} onClick={() => form.submit()}>
            {t('vouchers.batch.preview')}
          </Button>
          <Button
            type="primary"
            disabled={!preview || count === 0}
            loading={issuing.isPending}
            onClick={() => preview && issuing.mutate({ ...preview.body, preview: false })}
          >
            {t('vouchers.batch.confirm', { count })}
          </Button>
        </Space>
      }
    >
      <Form<BatchValues>
        form={form}
        name="batchIssue"
        layout="vertical"
        onValuesChange={() => {
          if (preview) setPreview(undefined);
        }}
        onFinish={(values) => previewing.mutate(bodyOf(values, true))}
      >
        <Typography.Text strong>{t('vouchers.batch.filter')}</Typography.Text>
        <Row gutter={12} style={{ marginTop: 8 }}>
          <Col xs={24} md={8}>
            <Form.Item name="regionCode" label={t('vouchers.batch.region')}>
              <Select<string>
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={(counties.data?.items ?? []).map((region) => ({
                  value: region.code,
                  label: region.name,
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="keyGroup" label={t('vouchers.batch.keyGroup')}>
              <Select<string>
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={(keyGroups.data?.items ?? []).map((group) => ({
                  value: group.code,
                  label: locale === 'en' ? group.nameEn : group.name,
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="employmentStatus" label={t('vouchers.batch.status')}>
              <Select<EmploymentStatus>
                allowClear
                options={EMPLOYMENT_STATUSES.map((value) => ({
                  value,
                  label: t(`person.employment.${value}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <TermFields />
      </Form>
      {preview ? (
        <Alert
          type={count > 0 ? 'info' : 'warning'}
          showIcon
          role="status"
          title={
            count > 0 ? t('vouchers.batch.previewResult', { count }) : t('vouchers.batch.none')
          }
          description={
            preview.result.sample.length > 0
              ? `${t('vouchers.batch.sample')}: ${preview.result.sample
                  .map((person) => `${person.name}（${person.idNumberMasked}）`)
                  .join(t('common.listSeparator'))}`
              : undefined
          }
        />
      ) : null}
      {previewing.error ? <ErrorAlert error={previewing.error} /> : null}
      {issuing.error ? <ErrorAlert error={issuing.error} /> : null}
    </Modal>
  );
}
