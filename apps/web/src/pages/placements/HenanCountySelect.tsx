import { Flex, Select } from 'antd';
import { useState } from 'react';
import { useRegions } from '../../api/queries';
import { SHANGQIU } from '../../deployment';
import { useT } from '../../i18n';

const HENAN = '410000';

/** The prefecture a county-level code belongs to (411403 → 411400). */
function prefectureOf(code: string): string {
  return `${code.slice(0, 4)}00`;
}

/**
 * A county-level region anywhere in Henan, as a form control: the prefecture (Shangqiu first
 * chosen) and one of its counties. A county-level city directly under the province (济源) is
 * chosen by itself. The value is the six-character county code, `null` when cleared.
 * (RegionSelect offers Shangqiu's counties only; a placement may be with any in-province employer.)
 */
export function HenanCountySelect({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
}) {
  const t = useT();
  const [prefecture, setPrefecture] = useState<string>(value ? prefectureOf(value) : SHANGQIU);
  const prefectures = useRegions({ parent: HENAN });
  const chosen = prefectures.data?.items.find((region) => region.code === prefecture);
  const direct = chosen?.levelName === 'county';
  const counties = useRegions({ parent: prefecture });
  return (
    <Flex gap={8} wrap>
      <Select<string>
        aria-label={t('placement.region.prefecture')}
        value={prefecture}
        loading={prefectures.isPending}
        showSearch={{ optionFilterProp: 'label' }}
        style={{ flex: '1 1 140px', minWidth: 0 }}
        options={(prefectures.data?.items ?? []).map((region) => ({
          value: region.code,
          label: region.name,
        }))}
        onChange={(next) => {
          setPrefecture(next);
          const nextRegion = prefectures.data?.items.find((region) => region.code === next);
          onChange?.(nextRegion?.levelName === 'county' ? next : null);
        }}
      />
      {direct ? null : (
        <Select<string>
          id={id}
          aria-label={t('placement.region.county')}
          value={value ?? undefined}
          allowClear
          placeholder={t('region.county.placeholder')}
          loading={counties.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ flex: '1 1 160px', minWidth: 0 }}
          options={(counties.data?.items ?? [])
            .filter((region) => region.levelName === 'county')
            .map((region) => ({ value: region.code, label: region.name }))}
          onChange={(next) => onChange?.(next ?? null)}
        />
      )}
    </Flex>
  );
}

/** A Henan county-level region's name from its code (the code itself until names load). */
export function HenanRegionName({ code }: { code: string }) {
  const counties = useRegions({ parent: prefectureOf(code) });
  const name = counties.data?.items.find((region) => region.code === code)?.name;
  return <>{name ? `${name}（${code}）` : code}</>;
}
