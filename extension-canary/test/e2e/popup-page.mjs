// Drives the extension's real popup page, opened in a tab as chrome-extension://<id>/popup.html.

export class PopupPage {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
    this.status = page.locator('#status');
    this.prInput = page.locator('#pr');
    this.prError = page.locator('#pr-error');
    this.switch = page.locator('#enabled');
    this.domainInput = page.locator('#new-domain');
    this.domainError = page.locator('#domain-error');
    this.route = page.locator('#route');
    this.routeVerdict = page.locator('#route-verdict');
  }

  /**
   * @param {import('playwright-core').BrowserContext} context
   * @param {string} extensionId
   */
  static async open(context, extensionId) {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const popup = new PopupPage(page);
    await popup.status.filter({ hasNotText: 'Loading' }).waitFor();
    return popup;
  }

  /** @param {string} value */
  async applyPrNumber(value) {
    await this.front();
    await this.prInput.fill(value);
    await this.page.getByRole('button', { name: 'Apply' }).click();
  }

  /** @param {string} domain */
  async addDomain(domain) {
    await this.front();
    await this.domainInput.fill(domain);
    await this.page.getByRole('button', { name: 'Add', exact: true }).click();
    await this.domainItem(domain).waitFor();
  }

  /** @param {string} domain */
  async removeDomain(domain) {
    await this.front();
    await this.page.getByRole('button', { name: `Remove ${domain}` }).click();
    await this.domainItem(domain).waitFor({ state: 'detached' });
  }

  /** A background tab gets no animation frames, which Playwright's clicks wait for. */
  async front() {
    await this.page.bringToFront();
  }

  /** @param {string} domain */
  domainItem(domain) {
    return this.page.locator(`#domains li[data-domain="${domain}"]`);
  }

  async domains() {
    return this.page.locator('#domains li .domain').allTextContents();
  }

  async switchOn() {
    await this.front();
    await this.switch.check();
  }

  async switchOff() {
    await this.front();
    await this.switch.uncheck();
  }

  /**
   * Waits until the popup shows the route of this response.
   * @param {string} text
   */
  async waitForRoute(text) {
    await this.route.filter({ hasText: text }).waitFor({ timeout: 10_000 });
  }

  /**
   * Waits until the popup shows this status; it does so only after the rules are rebuilt.
   * @param {string | RegExp} text
   */
  async waitForStatus(text) {
    await this.status.filter({ hasText: text }).waitFor({ timeout: 10_000 });
  }
}
