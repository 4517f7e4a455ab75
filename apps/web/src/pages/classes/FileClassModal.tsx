import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import {
  App,
  Button,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  TimePicker,
  Typography,
} from 'antd';
import { api } from '../../api/client';
import { usePlans, useSkillLevels } from '../../api/queries';
import type { FileClassBody } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { RegionSelect } from '../../components/RegionSelect';
import { useT } from '../../i18n';
import { OccupationSelect } from '../vouchers/voucherCatalog';
import {
  classBodyOf,
  sessionMinutes,
  sessionsHours,
  TRAINING_TYPES,
  type ClassFormValues,
  type SessionRow,
} from './classForm';

/** Form fields named as the API body's, so its field errors land on them. */
const FIELDS = [
  'name',
  'occupationCode',
  'skillLevelKey',
  'planNo',
  'unitId',
  'trainingType',
  'regionCode',
  'address',
  'capacity',
  'onlineHours',
  'attendanceThresholdPercent',
] as const;

/**
 * 开班申报: a class with its offline sessions, saved as a draft or submitted for the county's
 * approval in one request (one transaction on the server).
 */
export function FileClassModal({
  open,
  onClose,
  onFiled,
}: {
  open: boolean;
  onClose: () => void;
  onFiled: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ClassFormValues>();
  const plans = usePlans();
  const skillLevels = useSkillLevels();
  const planNo = Form.useWatch('planNo', form);
  const sessions = Form.useWatch('sessions', form);
  const units = plans.data?.items.find((plan) => plan.planNo === planNo)?.units ?? [];

  const file = useMutation({
    mutationFn: (body: FileClassBody) => api.classes.file(body),
    onSuccess: (_, body) => {
      void message.success(t(body.submit ? 'classes.submitted' : 'classes.saved'));
      onFiled();
      close();
    },
    onError: (error) => form.setFields(fieldErrorsOf(error, FIELDS, t).fields),
  });
  const unplaced = file.error ? fieldErrorsOf(file.error, FIELDS, t).unplaced : false;

  function close() {
    form.resetFields();
    file.reset();
    onClose();
  }

  async function save(submit: boolean) {
    const values = await form.validateFields().catch(() => null);
    if (values) file.mutate(classBodyOf(values, submit));
  }

  const required = [{ required: true, message: t('vouchers.required') }];
  return (
    <Modal
      open={open}
      title={t('classForm.title')}
      onCancel={close}
      width={760}
      destroyOnHidden
      footer={
        <Flex gap={8} justify="end" wrap>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button
            loading={file.isPending && !file.variables?.submit}
            onClick={() => void save(false)}
          >
            {t('classForm.saveDraft')}
          </Button>
          <Button
            type="primary"
            loading={file.isPending && !!file.variables?.submit}
            onClick={() => void save(true)}
          >
            {t('classForm.submit')}
          </Button>
        </Flex>
      }
    >
      <Form<ClassFormValues>
        form={form}
        name="fileClass"
        layout="vertical"
        initialValues={{
          trainingType: 'on_the_job_upgrade',
          attendanceThresholdPercent: 80,
          sessions: [{}],
        }}
      >
        <Form.Item
          name="name"
          label={t('class.name')}
          rules={[{ required: true, whitespace: true, message: t('vouchers.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={16}>
            <Form.Item name="occupationCode" label={t('class.occupation')} rules={required}>
              <OccupationSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="skillLevelKey" label={t('class.skillLevel')} rules={required}>
              <Select<string>
                loading={skillLevels.isPending}
                options={(skillLevels.data?.items ?? []).map((level) => ({
                  value: level.key,
                  label: level.name,
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="planNo" label={t('class.plan')} rules={required}>
              <Select<number>
                placeholder={t('classForm.planPlaceholder')}
                loading={plans.isPending}
                onChange={() => form.setFieldValue('unitId', undefined)}
                options={(plans.data?.items ?? []).map((plan) => ({
                  value: plan.planNo,
                  label: `${plan.planNo}. ${plan.name}`,
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="unitId" label={t('class.unit')} rules={required}>
              <Select<string>
                placeholder={t('classForm.unitPlaceholder')}
                disabled={!planNo}
                showSearch={{ optionFilterProp: 'label' }}
                options={units.map((unit) => ({ value: unit.id, label: unit.canonicalName }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="trainingType" label={t('class.trainingType')} rules={required}>
              <Select<string>
                options={TRAINING_TYPES.map((type) => ({
                  value: type,
                  label: t(`class.type.${type}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="regionCode" label={t('class.region')} rules={required}>
              <RegionSelect townships={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="address"
          label={t('class.address')}
          rules={[{ required: true, whitespace: true, message: t('vouchers.required') }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item name="capacity" label={t('class.capacity')} rules={required}>
              <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="onlineHours" label={t('class.onlineHours')}>
              <InputNumber min={0} max={10000} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="subsidyYuan" label={t('class.subsidy')} rules={required}>
              <InputNumber min={0} max={1_000_000} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="attendanceThresholdPercent"
              label={t('class.threshold')}
              rules={required}
            >
              <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('class.sessions')}</Typography.Text>
        <Form.List
          name="sessions"
          rules={[
            {
              validator: async (_, rows: SessionRow[] | undefined) => {
                if (!rows || rows.length === 0) throw new Error(t('classForm.sessionsRequired'));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} wrap align="start" style={{ marginTop: 8 }}>
                  <Form.Item
                    name={[field.name, 'date']}
                    rules={required}
                    style={{ marginBottom: 0 }}
                  >
                    <DatePicker
                      aria-label={`${t('classForm.sessionDate')} ${index + 1}`}
                      placeholder={t('classForm.sessionDate')}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'start']}
                    rules={required}
                    style={{ marginBottom: 0 }}
                  >
                    <TimePicker
                      format="HH:mm"
                      minuteStep={5}
                      aria-label={`${t('classForm.sessionStart')} ${index + 1}`}
                      placeholder={t('classForm.sessionStart')}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'end']}
                    dependencies={[['sessions', field.name, 'start']]}
                    style={{ marginBottom: 0 }}
                    rules={[
                      ...required,
                      {
                        validator: async () => {
                          const row = form.getFieldValue(['sessions', field.name]) as SessionRow;
                          if (row?.start && row.end && sessionMinutes(row) === null) {
                            throw new Error(t('classForm.endBeforeStart'));
                          }
                        },
                      },
                    ]}
                  >
                    <TimePicker
                      format="HH:mm"
                      minuteStep={5}
                      aria-label={`${t('classForm.sessionEnd')} ${index + 1}`}
                      placeholder={t('classForm.sessionEnd')}
                    />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('classForm.removeSession')}
                    disabled={fields.length === 1}
                    onClick={() => remove(field.name)}
                  />
                </Flex>
              ))}
              <Flex gap={12} align="center" style={{ marginTop: 8 }}>
                <Button icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('classForm.addSession')}
                </Button>
                <Typography.Text type="secondary">
                  {t('classForm.sessionsTotal', { hours: sessionsHours(sessions) })}
                </Typography.Text>
              </Flex>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
      </Form>
      {file.error && unplaced ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={file.error} />
        </div>
      ) : null}
    </Modal>
  );
}
