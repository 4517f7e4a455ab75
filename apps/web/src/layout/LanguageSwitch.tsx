import { Segmented } from 'antd';
import { LOCALE_NAMES, LOCALES, useLocale, useT, type Locale } from '../i18n';

const LOCALE_OPTIONS = LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value] }));

export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const t = useT();
  return (
    <div role="group" aria-label={t('app.language')} title={t('app.language')}>
      <Segmented<Locale>
        size="small"
        options={LOCALE_OPTIONS}
        value={locale}
        onChange={setLocale}
      />
    </div>
  );
}
