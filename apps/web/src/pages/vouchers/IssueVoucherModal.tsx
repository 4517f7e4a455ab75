import { useMutation } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { IssueVoucherBody, Person } from '../../api/types';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { newIdempotencyKey, TermFields, termsOf, type TermValues } from './voucherCatalog';

/**
 * 发放给一人: the holder is found by ID number (sent in a POST body, never in the URL), shown by
 * name and masked number, then the terms are filled in.
 */
export function IssueVoucherModal({
  open,
  onClose,
  onIssued,
}: {
  open: boolean;
  onClose: () => void;
  onIssued: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<TermValues>();
  const [idNumber, setIdNumber] = useState('');
  const [person, setPerson] = useState<Person>();
  const [key, setKey] = useState(newIdempotencyKey);

  const lookup = useMutation({
    mutationFn: (value: string) => api.persons.lookup(value),
    onSuccess: setPerson,
  });
  const issue = useMutation({
    mutationFn: (body: IssueVoucherBody) => api.vouchers.issue(body, key),
    onSuccess: (voucher) => {
      void message.success(t('vouchers.issue.done', { number: voucher.number }));
      onIssued();
      close();
    },
  });

  function close() {
    form.resetFields();
    setIdNumber('');
    setPerson(undefined);
    setKey(newIdempotencyKey());
    lookup.reset();
    issue.reset();
    onClose();
  }

  const notFound = lookup.error instanceof ApiError && lookup.error.status === 404;
  return (
    <Modal
      open={open}
      title={t('vouchers.issue.title')}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('vouchers.issue.submit')}
      okButtonProps={{ disabled: !person, loading: issue.isPending }}
      destroyOnHidden
      width={600}
    >
      <Form.Item label={t('vouchers.issue.lookup')} layout="vertical">
        <Input.Search
          value={idNumber}
          aria-label={t('vouchers.issue.lookup')}
          placeholder={t('vouchers.issue.lookupPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          maxLength={40}
          loading={lookup.isPending}
          enterButton={t('common.search')}
          onChange={(event) => {
            setIdNumber(event.target.value);
            setPerson(undefined);
            if (lookup.isError) lookup.reset();
          }}
          onSearch={(value) => value.trim() && lookup.mutate(value.trim())}
        />
      </Form.Item>
      {lookup.error ? (
        <Typography.Text type="danger" role="alert">
          {notFound ? t('vouchers.issue.notFound') : describeError(lookup.error, t)}
        </Typography.Text>
      ) : null}
      {person ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${t('vouchers.issue.person')}: ${person.name}（${person.idNumberMasked}）`}
        />
      ) : null}
      <Form<TermValues>
        form={form}
        name="issueVoucher"
        layout="vertical"
        disabled={!person}
        onFinish={(values) =>
          person &&
          issue.mutate({
            personId: person.id,
            occupationCode: values.occupationCode,
            occupationLevel: values.occupationLevel,
            ...termsOf(values),
          })
        }
      >
        <TermFields />
      </Form>
      {issue.error ? <ErrorAlert error={issue.error} /> : null}
    </Modal>
  );
}
