/** The one place the version is written (package.json's, kept equal by test/cli/version.test.ts). */
export const VERSION = '0.1.0';
