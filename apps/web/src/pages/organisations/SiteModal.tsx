import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { api } from '../../api/client';
import type { Site } from '../../api/types';
import { describeError } from '../../components/ErrorAlert';
import { RegionSelect } from '../../components/RegionSelect';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useT } from '../../i18n';

interface Values {
  name?: string;
  serialCode?: string;
  regionCode?: string | null;
  address?: string;
  status?: Site['status'];
}

const FIELDS = ['name', 'serialCode', 'regionCode', 'address', 'status'] as const;

/** Adds an evaluation site with its 序列码, or changes one (`site` given). Mount it to open it. */
export function SiteModal({
  organisationId,
  site,
  onClose,
}: {
  organisationId: string;
  site: Site | null;
  onClose: () => void;
}) {
  const t = useT();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (values: Values) => {
      const name = (values.name ?? '').trim();
      const serialCode = (values.serialCode ?? '').trim();
      const regionCode = values.regionCode ?? '';
      const address = values.address?.trim() || undefined;
      if (!site) {
        return api.organisations.addSite(organisationId, { name, serialCode, regionCode, address });
      }
      return api.organisations.updateSite(organisationId, site.id, {
        ...(name !== site.name ? { name } : {}),
        ...(serialCode !== site.serialCode ? { serialCode } : {}),
        ...(regionCode !== site.regionCode ? { regionCode } : {}),
        ...((address ?? null) !== site.address ? { address: address ?? null } : {}),
        ...(values.status && values.status !== site.status ? { status: values.status } : {}),
      });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['organisations', 'sites', organisationId] });
      onClose();
    },
    onError: (error) => form.setFields(fieldErrorsOf(error, FIELDS, t).fields),
  });
  const unplaced = save.error ? fieldErrorsOf(save.error, FIELDS, t).unplaced : false;

  return (
    <Modal
      open
      title={site ? t('siteForm.editTitle', { name: site.name }) : t('siteForm.createTitle')}
      okText={site ? t('common.save') : t('siteForm.create')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {save.error && unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(save.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<Values>
        name="site"
        form={form}
        layout="vertical"
        disabled={save.isPending}
        initialValues={
          site
            ? {
                name: site.name,
                serialCode: site.serialCode,
                regionCode: site.regionCode,
                address: site.address ?? '',
                status: site.status,
              }
            : {}
        }
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          name="name"
          label={t('site.name')}
          rules={[{ required: true, whitespace: true, message: t('siteForm.name.required') }]}
        >
          <Input autoComplete="off" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="serialCode"
          label={t('site.serialCode')}
          extra={t('siteForm.serialCode.hint')}
          rules={[
            { required: true, message: t('siteForm.serialCode.required') },
            { pattern: /^[0-9]{6}$/, message: t('siteForm.serialCode.invalid') },
          ]}
        >
          <Input inputMode="numeric" maxLength={6} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('site.region')}
          rules={[{ required: true, message: t('orgForm.region.required') }]}
        >
          <RegionSelect townships={false} />
        </Form.Item>
        <Form.Item name="address" label={t('organisation.address')}>
          <Input autoComplete="off" maxLength={300} />
        </Form.Item>
        {site ? (
          <Form.Item name="status" label={t('organisation.status')}>
            <Select<Site['status']>
              options={(['active', 'suspended'] as const).map((value) => ({
                value,
                label: t(`organisation.status.${value}`),
              }))}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
