import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import {
  evaluationQueries,
  evaluationsApi,
  type ScheduleBody,
  type SkillLevelKey,
} from '../../api/evaluations';
import { useSkillLevels } from '../../api/queries';
import { useAccount } from '../../auth/session';
import { useT } from '../../i18n';
import { OccupationSelect } from '../vouchers/voucherCatalog';
import { describeScheduleError } from './evaluationCatalog';

const LEVEL_KEYS = [
  'level5',
  'level4',
  'level3',
  'level2',
  'level1',
  'special_ability',
] as const satisfies readonly SkillLevelKey[];

interface Values {
  siteId: string;
  occupationCode: string;
  skillLevelKey: SkillLevelKey;
  specialAbilityId?: string;
  heldOn: Dayjs;
}

/** 安排评价: a session at one of the institution's sites, inside the site's approved scope. */
export function ScheduleSessionModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const me = useAccount();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const organisationId = me.scope.kind === 'organisation' ? me.scope.organisationId : '';
  const sites = useQuery({
    queryKey: ['organisations', organisationId, 'sites'],
    queryFn: ({ signal }) => api.organisations.sites(organisationId, signal),
    enabled: open && organisationId !== '',
  });
  const skillLevels = useSkillLevels();
  const levelKey = Form.useWatch('skillLevelKey', form);
  const occupationCode = Form.useWatch('occupationCode', form);
  const abilities = useQuery({
    ...evaluationQueries.specialAbilities(occupationCode),
    enabled: open && levelKey === 'special_ability' && !!occupationCode,
  });
  const schedule = useMutation({
    mutationFn: (body: ScheduleBody) => evaluationsApi.schedule(body, key),
    onSuccess: (session) => {
      void queryClient.invalidateQueries({ queryKey: ['evaluations'] });
      close();
      void navigate(`/evaluations/${session.id}`);
    },
  });
  const close = () => {
    form.resetFields();
    schedule.reset();
    setKey(globalThis.crypto.randomUUID());
    onClose();
  };
  const required = [{ required: true, message: t('evaluation.required') }];
  const levelName = (levelKeyValue: string) =>
    skillLevels.data?.items.find((level) => level.key === levelKeyValue)?.name ?? levelKeyValue;

  return (
    <Modal
      open={open}
      title={t('evaluations.schedule')}
      okText={t('evaluations.schedule.submit')}
      okButtonProps={{ loading: schedule.isPending }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        name="scheduleSession"
        layout="vertical"
        initialValues={{ skillLevelKey: 'level4' }}
        onValuesChange={() => {
          // A new choice is a new request: the old answer (and key) no longer apply.
          if (schedule.error) {
            schedule.reset();
            setKey(globalThis.crypto.randomUUID());
          }
        }}
        onFinish={(values) =>
          schedule.mutate({
            siteId: values.siteId,
            occupationCode: values.occupationCode,
            skillLevelKey: values.skillLevelKey,
            specialAbilityId:
              values.skillLevelKey === 'special_ability' ? (values.specialAbilityId ?? null) : null,
            heldOn: values.heldOn.format('YYYY-MM-DD'),
          })
        }
      >
        <Form.Item name="siteId" label={t('evaluation.site')} rules={required}>
          <Select<string>
            loading={sites.isPending && sites.fetchStatus !== 'idle'}
            options={(sites.data?.items ?? []).map((site) => ({
              value: site.id,
              label: `${site.name}（${site.serialCode}）`,
              disabled: site.status !== 'active',
            }))}
          />
        </Form.Item>
        <Form.Item name="occupationCode" label={t('evaluation.occupation')} rules={required}>
          <OccupationSelect />
        </Form.Item>
        <Form.Item name="skillLevelKey" label={t('evaluation.level')} rules={required}>
          <Select<SkillLevelKey>
            options={LEVEL_KEYS.map((value) => ({ value, label: levelName(value) }))}
          />
        </Form.Item>
        {levelKey === 'special_ability' ? (
          <Form.Item
            name="specialAbilityId"
            label={t('evaluation.specialAbility')}
            rules={required}
          >
            <Select<string>
              loading={abilities.isFetching}
              notFoundContent={t('evaluation.specialAbility.none')}
              options={(abilities.data?.items ?? []).map((item) => ({
                value: item.id,
                label: `${item.code} ${item.name}`,
              }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="heldOn" label={t('evaluation.heldOn')} rules={required}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
      {schedule.error ? (
        <Alert
          type="error"
          showIcon
          title={t('evaluations.schedule.refused')}
          description={describeScheduleError(schedule.error, t)}
        />
      ) : null}
    </Modal>
  );
}
