/**
 * The PDF's font, shipped as an npm package (@expo-google-fonts/inter, SIL OFL): the summary looks
 * the same on every machine, whatever fonts it has installed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const FONT_DIR = path.dirname(require.resolve('@expo-google-fonts/inter/package.json'));

const file = (weight: string) => path.join(FONT_DIR, weight, `Inter_${weight}.ttf`);

export const FONTS = {
  Inter: {
    normal: file('400Regular'),
    bold: file('700Bold'),
    italics: file('400Regular_Italic'),
    bolditalics: file('700Bold_Italic'),
  },
};
