import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
] as const;

const KEY = 'guanxi.lang';

// Each language's words are a chunk of their own, fetched when the language is first used: the
// first page carries only the reader's language (the login form stays within its byte budget).
const BUNDLES: Record<string, () => Promise<{ default: Record<string, unknown> }>> = {
  en: () => import('./en.json'),
  'zh-CN': () => import('./zh-CN.json'),
};

function initialLanguage(): string {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
  if (saved && saved in BUNDLES) return saved;
  return typeof navigator !== 'undefined' && navigator.language.startsWith('zh') ? 'zh-CN' : 'en';
}

async function load(lang: string): Promise<void> {
  const bundle = BUNDLES[lang];
  if (bundle && !i18n.hasResourceBundle(lang, 'translation')) {
    i18n.addResourceBundle(lang, 'translation', (await bundle()).default);
  }
}

/** Resolves once the reader's language is loaded: the app renders after it. */
export const ready: Promise<void> = (async () => {
  const lng = initialLanguage();
  await i18n.use(initReactI18next).init({
    resources: {},
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    partialBundledLanguages: true,
  });
  await load(lng);
  await i18n.changeLanguage(lng);
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
})();

/** Switches the UI's language (loading its words first) and remembers the choice. */
export async function setLanguage(lang: string): Promise<void> {
  if (!(lang in BUNDLES)) return;
  localStorage.setItem(KEY, lang);
  await ready;
  await load(lang);
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

export default i18n;
