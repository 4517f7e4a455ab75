import { useQuery } from '@tanstack/react-query';
import { Flex, Select } from 'antd';
import { queries, useRegions } from '../api/queries';
import { SHANGQIU } from '../deployment';
import { useT } from '../i18n';

/** The county-level code a region code belongs to (a township's first six characters). */
export function countyOf(code: string): string {
  return code.slice(0, 6);
}

/**
 * A Shangqiu region as a form control: the county (市辖区、县、县级市 or functional area) and,
 * when `townships` is on, optionally one of its townships. The value is the most precise code
 * chosen (a township's 9 digits, else the county's), `null` when cleared.
 */
export function RegionSelect({
  id,
  value,
  onChange,
  townships = true,
  disabled,
  placeholder,
  'aria-label': ariaLabel,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  townships?: boolean;
  disabled?: boolean;
  placeholder?: string;
  'aria-label'?: string;
}) {
  const t = useT();
  const counties = useRegions({ parent: SHANGQIU });
  const county = value ? countyOf(value) : undefined;
  const township = value && value.length > 6 ? value : undefined;
  const countyRegion = counties.data?.items.find((region) => region.code === county);
  const showTownships = townships && !!countyRegion?.hasChildren;
  const towns = useQuery({ ...queries.regions({ parent: county }), enabled: showTownships });

  return (
    <Flex gap={8} wrap>
      <Select<string>
        id={id}
        aria-label={ariaLabel}
        value={county}
        disabled={disabled}
        allowClear
        placeholder={placeholder ?? t('region.county.placeholder')}
        loading={counties.isPending}
        showSearch={{ optionFilterProp: 'label' }}
        style={{ flex: '1 1 160px', minWidth: 0 }}
        options={(counties.data?.items ?? []).map((region) => ({
          value: region.code,
          label: region.name,
        }))}
        onChange={(next) => onChange?.(next ?? null)}
      />
      {showTownships ? (
        <Select<string>
          aria-label={t('region.township')}
          value={township}
          disabled={disabled || !county}
          allowClear
          placeholder={t('region.township.placeholder')}
          loading={towns.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ flex: '1 1 160px', minWidth: 0 }}
          options={(towns.data?.items ?? []).map((region) => ({
            value: region.code,
            label: region.name,
          }))}
          onChange={(next) => onChange?.(next ?? county ?? null)}
        />
      ) : null}
    </Flex>
  );
}

/**
 * A region's name from its code: the city, a county, or a township (looked up under its county).
 * Shows the code itself until the names load, or when it is not a Shangqiu code.
 */
export function RegionName({ code }: { code: string | null | undefined }) {
  const t = useT();
  const counties = useRegions({ parent: SHANGQIU });
  const county = code ? countyOf(code) : '';
  const isTownship = !!code && code.length > 6;
  const towns = useQuery({ ...queries.regions({ parent: county }), enabled: isTownship });
  if (!code) return <>{t('common.none')}</>;
  if (code === SHANGQIU) return <>{t('region.city')}</>;
  const countyName = counties.data?.items.find((region) => region.code === county)?.name;
  if (!isTownship) return <>{countyName ?? code}</>;
  const townName = towns.data?.items.find((region) => region.code === code)?.name;
  return <>{countyName && townName ? `${countyName} ${townName}` : code}</>;
}
