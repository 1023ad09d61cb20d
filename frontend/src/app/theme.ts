// The look, held to WCAG AA contrast (axe-core runs on the main screens): the primary colour one
// shade darker than Mantine's default; filled badges and buttons pick black or white text by
// their background (autoContrast); the text of light variants (the active menu entry, light
// badges and alerts) and "dimmed" text dark enough for 4.5:1 on their backgrounds.
import { createTheme, mergeThemeOverrides, Modal, type CSSVariablesResolver } from '@mantine/core';

// With shade 8 filled backgrounds, white text suits blue (5:1) and black suits green, red and orange.
// A toast's description under a title is gray 6 in Mantine (3.3:1); dimmed text reaches 4.5:1.
export const theme = createTheme({
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.18,
  components: {
    Notification: { styles: { description: { color: 'var(--mantine-color-dimmed)' } } },
  },
});

/** The theme with the words it puts on controls in the UI's language: every dialog's close
 * button is named (axe: button-name), without each of them saying so. */
export function themeIn(close: string) {
  return mergeThemeOverrides(
    theme,
    createTheme({ components: { Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': close } } }) } }),
  );
}

// Mantine's light variants write shade 6 on a 10 % tint of it (about 3:1); these reach 4.5:1.
const lightText: Record<string, string> = {
  blue: 'var(--mantine-color-blue-9)',
  red: 'var(--mantine-color-red-9)',
  gray: 'var(--mantine-color-gray-9)',
  green: '#1e6b30',
  teal: '#0b6b5a',
  orange: '#a34700',
  yellow: '#7a5a00',
  violet: 'var(--mantine-color-violet-9)',
};

export const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(Object.entries(lightText).map(([c, v]) => [`--mantine-color-${c}-light-color`, v])),
    '--mantine-primary-color-light-color': 'var(--mantine-color-blue-9)',
    // Under the pointer the tint deepens only as far as the text keeps 4.5:1.
    '--mantine-color-blue-light-hover': 'var(--mantine-color-blue-1)',
    '--mantine-primary-color-light-hover': 'var(--mantine-color-blue-1)',
  },
  dark: {},
});
