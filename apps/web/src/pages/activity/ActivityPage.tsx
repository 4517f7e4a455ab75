import { Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { ExternalCertificatesTab } from './ExternalCertificatesTab';
import { TotalsTab } from './TotalsTab';
import { TrainingReportsTab } from './TrainingReportsTab';

const TABS = ['trainings', 'certificates', 'totals'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return TABS.some((tab) => tab === value);
}

/**
 * 单位填报: what a responsible unit (or an institution, a county, the city) reports outside the
 * voucher loop — trainings and certificates issued elsewhere — and the period's totals as they
 * will count in #9. The tab lives in the address (`?tab=`); each tab keeps its own filters there.
 */
export default function ActivityPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = isTab(requested) ? requested : 'trainings';
  return (
    <>
      <PageTitle titleKey="activity.title" descriptionKey="activity.description" />
      <Tabs
        activeKey={tab}
        // A tab's filters and page mean nothing to another tab: switching starts afresh.
        onChange={(next) =>
          setParams(
            next === 'trainings' ? new URLSearchParams() : new URLSearchParams({ tab: next }),
          )
        }
        destroyOnHidden
        items={[
          {
            key: 'trainings',
            label: t('activity.tab.trainings'),
            children: <TrainingReportsTab />,
          },
          {
            key: 'certificates',
            label: t('activity.tab.certificates'),
            children: <ExternalCertificatesTab />,
          },
          { key: 'totals', label: t('activity.tab.totals'), children: <TotalsTab /> },
        ]}
      />
    </>
  );
}
