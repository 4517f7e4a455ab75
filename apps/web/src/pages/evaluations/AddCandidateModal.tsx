import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, Input, InputNumber, Modal, Select, Switch, Tabs, Typography } from 'antd';
import { useState } from 'react';
import {
  evaluationQueries,
  evaluationsApi,
  type AddCandidateBody,
  type CandidateSource,
  type FromClassResult,
} from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { CANDIDATE_SOURCES } from './evaluationCatalog';

interface PersonValues {
  idNumber: string;
  source: CandidateSource;
  voucherId?: string;
  employerOrganisationId?: string;
  schoolName?: string;
  workerPaid: boolean;
  feePaidYuan?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Adds candidates: one person by ID number (with their source), or a completed class. */
export function AddCandidateModal({
  sessionId,
  open,
  onClose,
}: {
  sessionId: string;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<'person' | 'class'>('person');
  const [personForm] = Form.useForm<PersonValues>();
  const [classForm] = Form.useForm<{ classId: string }>();
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const [fromClass, setFromClass] = useState<FromClassResult | null>(null);
  const eligible = useQuery({
    ...evaluationQueries.eligibleClasses(sessionId),
    enabled: open && tab === 'class',
  });
  const source = Form.useWatch('source', personForm);
  const paid = Form.useWatch('workerPaid', personForm);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['evaluations'] });
    setKey(globalThis.crypto.randomUUID());
  };
  const addPerson = useMutation({
    mutationFn: (body: AddCandidateBody) => evaluationsApi.addCandidate(sessionId, body, key),
    onSuccess: () => {
      refresh();
      close();
    },
  });
  const addClass = useMutation({
    mutationFn: (classId: string) => evaluationsApi.addFromClass(sessionId, classId, key),
    onSuccess: (result) => {
      refresh();
      classForm.resetFields();
      setFromClass(result);
    },
  });
  const close = () => {
    personForm.resetFields();
    classForm.resetFields();
    addPerson.reset();
    addClass.reset();
    setFromClass(null);
    setKey(globalThis.crypto.randomUUID());
    onClose();
  };
  const required = [{ required: true, whitespace: true, message: t('evaluation.required') }];
  const uuid = [...required, { pattern: UUID, message: t('evaluation.uuid') }];
  const error = tab === 'person' ? addPerson.error : (addClass.error ?? eligible.error);
  const classOptions = (eligible.data?.items ?? []).map((c) => ({
    value: c.id,
    label: t('evaluation.eligibleClass.option', {
      name: c.name,
      institution: c.organisationName,
      endDate: c.endDate,
      count: c.pendingTrainees,
    }),
  }));

  return (
    <Modal
      open={open}
      title={t('evaluation.addCandidate')}
      okText={fromClass ? t('evaluation.done') : t('evaluation.add')}
      okButtonProps={{ loading: addPerson.isPending || addClass.isPending }}
      onOk={() => {
        if (fromClass) close();
        else if (tab === 'person') personForm.submit();
        else classForm.submit();
      }}
      onCancel={close}
      destroyOnHidden
    >
      <Tabs
        activeKey={tab}
        onChange={(next) => {
          setTab(next === 'class' ? 'class' : 'person');
          setFromClass(null);
        }}
        items={[
          {
            key: 'person',
            label: t('evaluation.addCandidate.byIdNumber'),
            children: (
              <Form<PersonValues>
                form={personForm}
                name="addCandidate"
                layout="vertical"
                initialValues={{ source: 'individual', workerPaid: false }}
                onFinish={(values) =>
                  addPerson.mutate({
                    idNumber: values.idNumber.trim(),
                    source: values.source,
                    voucherId: values.source === 'voucher' ? values.voucherId?.trim() : null,
                    employerOrganisationId:
                      values.source === 'enterprise' ? values.employerOrganisationId?.trim() : null,
                    schoolName: values.source === 'school' ? values.schoolName?.trim() : null,
                    workerPaid: values.workerPaid,
                    feePaidFen:
                      values.workerPaid && values.feePaidYuan !== undefined
                        ? Math.round(values.feePaidYuan * 100)
                        : null,
                  })
                }
              >
                <Form.Item name="idNumber" label={t('evaluation.idNumber')} rules={required}>
                  <Input autoComplete="off" maxLength={18} />
                </Form.Item>
                <Form.Item name="source" label={t('evaluation.source')}>
                  <Select<CandidateSource>
                    options={CANDIDATE_SOURCES.map((value) => ({
                      value,
                      label: t(`evaluation.source.${value}`),
                    }))}
                  />
                </Form.Item>
                {source === 'voucher' ? (
                  <Form.Item name="voucherId" label={t('evaluation.voucherId')} rules={uuid}>
                    <Input autoComplete="off" />
                  </Form.Item>
                ) : null}
                {source === 'enterprise' ? (
                  <Form.Item
                    name="employerOrganisationId"
                    label={t('evaluation.employerId')}
                    rules={uuid}
                  >
                    <Input autoComplete="off" />
                  </Form.Item>
                ) : null}
                {source === 'school' ? (
                  <Form.Item name="schoolName" label={t('evaluation.schoolName')} rules={required}>
                    <Input maxLength={200} />
                  </Form.Item>
                ) : null}
                <Form.Item
                  name="workerPaid"
                  label={t('evaluation.workerPaid')}
                  valuePropName="checked"
                  extra={t('evaluation.workerPaid.hint')}
                >
                  <Switch />
                </Form.Item>
                {paid ? (
                  <Form.Item name="feePaidYuan" label={t('evaluation.feePaid')}>
                    <InputNumber min={0} max={1_000_000} precision={2} style={{ width: '100%' }} />
                  </Form.Item>
                ) : null}
              </Form>
            ),
          },
          {
            key: 'class',
            label: t('evaluation.addCandidate.fromClass'),
            children: (
              <Form
                form={classForm}
                name="addFromClass"
                layout="vertical"
                onFinish={(values) => addClass.mutate(values.classId)}
              >
                <Typography.Paragraph type="secondary">
                  {t('evaluation.addCandidate.fromClass.hint')}
                </Typography.Paragraph>
                <Form.Item
                  name="classId"
                  label={t('evaluation.eligibleClass')}
                  rules={[{ required: true, message: t('evaluation.required') }]}
                  extra={
                    eligible.isSuccess && classOptions.length === 0
                      ? t('evaluation.eligibleClass.none')
                      : undefined
                  }
                >
                  <Select<string>
                    options={classOptions}
                    loading={eligible.isLoading}
                    placeholder={t('evaluation.eligibleClass.placeholder')}
                    showSearch={{ optionFilterProp: 'label' }}
                  />
                </Form.Item>
                {fromClass ? (
                  <Typography.Paragraph>
                    {t('evaluation.addCandidate.fromClass.result', {
                      added: fromClass.added,
                      skipped: fromClass.skipped.length,
                    })}
                    {fromClass.skipped.map((s) => (
                      <span key={s.voucherId} style={{ display: 'block' }}>
                        · {s.reason}
                      </span>
                    ))}
                  </Typography.Paragraph>
                ) : null}
              </Form>
            ),
          },
        ]}
      />
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
