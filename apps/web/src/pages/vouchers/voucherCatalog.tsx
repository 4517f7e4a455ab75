import { Col, DatePicker, Form, InputNumber, Row, Select, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useOccupations } from '../../api/queries';
import type { VoucherState } from '../../api/types';
import { useT } from '../../i18n';

/**
 * The voucher states the API knows, in lifecycle order. The type comes from the API schema: a
 * state added there and not here is a type error, and so is a missing `voucher.state.<value>`.
 */
export const VOUCHER_STATES = [
  'issued',
  'bound',
  'in_training',
  'completed',
  'certified',
  'redeemed',
  'expired',
  'cancelled',
  'forfeited',
] as const satisfies readonly VoucherState[];

const _allStatesListed: [Exclude<VoucherState, (typeof VOUCHER_STATES)[number]>] extends [never]
  ? true
  : false = true;

export function isVoucherState(value: string | null): value is VoucherState {
  return VOUCHER_STATES.some((state) => state === value);
}

const STATE_COLOURS: Record<VoucherState, string> = {
  issued: 'blue',
  bound: 'cyan',
  in_training: 'geekblue',
  completed: 'green',
  certified: 'green',
  redeemed: 'purple',
  expired: 'default',
  cancelled: 'default',
  forfeited: 'red',
};

export function VoucherStateTag({ state }: { state: VoucherState }) {
  const t = useT();
  return <Tag color={STATE_COLOURS[state]}>{t(`voucher.state.${state}`)}</Tag>;
}

/** Fen (分) as yuan with two decimals. */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** A 2022 大典 code picked by searching the catalogue by name or code. */
export function OccupationSelect({
  value,
  onChange,
  id,
}: {
  value?: string;
  onChange?: (value: string) => void;
  id?: string;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const { data, isFetching } = useOccupations({ q: q || undefined, page: 1, pageSize: 20 });
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={onChange}
      placeholder={t('vouchers.issue.occupationPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      options={(data?.items ?? []).map((occupation) => ({
        value: occupation.code,
        label: `${occupation.code} ${occupation.name}`,
      }))}
    />
  );
}

export interface TermValues {
  occupationCode: string;
  occupationLevel: 2 | 3 | 4;
  valueYuan: number;
  validTo: Dayjs;
}

/** Occupation, level, value and expiry: the terms every issue form asks for. */
export function TermFields({ occupation = true }: { occupation?: boolean }) {
  const t = useT();
  const required = [{ required: true, message: t('vouchers.required') }];
  return (
    <Row gutter={12}>
      {occupation ? (
        <>
          <Col xs={24} md={16}>
            <Form.Item name="occupationCode" label={t('voucher.occupation')} rules={required}>
              <OccupationSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="occupationLevel" label={t('voucher.level')} initialValue={4}>
              <Select<number>
                options={[4, 3, 2].map((level) => ({
                  value: level,
                  label: t(`voucher.level.${level as 2 | 3 | 4}`),
                }))}
              />
            </Form.Item>
          </Col>
        </>
      ) : null}
      <Col xs={12}>
        <Form.Item name="valueYuan" label={t('voucher.value')} rules={required}>
          <InputNumber min={0} max={1_000_000} precision={2} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={12}>
        <Form.Item name="validTo" label={t('voucher.validTo')} rules={required}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** The API's term fields from the form's. */
export function termsOf(values: Pick<TermValues, 'valueYuan' | 'validTo'>) {
  return {
    valueFen: Math.round(values.valueYuan * 100),
    validTo: values.validTo.format('YYYY-MM-DD'),
  };
}

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
