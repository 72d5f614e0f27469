import type { Browser, Page } from 'playwright-core';

export const CHROMIUM: string;
export const CHROMIUM_FLAGS: string[];
export function chromiumMissing(): string | null;
export function launchChromium(): Promise<Browser>;
export function openPage(browser: Browser, url: string): Promise<{ page: Page; blocked: string[] }>;
