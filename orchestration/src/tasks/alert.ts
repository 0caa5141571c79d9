/**
 * Task: tell a person a run failed. POSTs Slack-compatible JSON (`text` plus `blocks`, which
 * Slack, Mattermost and most webhook receivers accept) to ALERT_WEBHOOK_URL and logs the alert.
 * The URL is a secret: it is never logged or put into an Outcome. An alert that cannot be
 * delivered is logged and returned as a warning: it never fails or crashes the run.
 */
import { timed, type Outcome } from '../../../core/outcome.ts';
import type { Context } from '../context.ts';

export interface AlertOptions {
  workflow: string;
  workflowId: string;
  runId?: number;
  /** The step that failed. */
  step: string;
  error: string;
  /** Link to the status page. */
  statusUrl?: string;
  timeoutMs?: number;
}

export function alertPayload(options: AlertOptions): Record<string, unknown> {
  const title = `Pipeline run failed: ${options.workflow} at step ${options.step}`;
  const fields = [
    `*workflow:* ${options.workflow}`,
    `*step:* ${options.step}`,
    `*run:* ${options.runId ?? '?'} (\`${options.workflowId}\`)`,
    `*error:* ${options.error.slice(0, 1500)}`,
    options.statusUrl ? `*status page:* <${options.statusUrl}|${options.statusUrl}>` : undefined,
    `*retry:* \`npm run pipeline -- retry ${options.workflowId}\``,
  ].filter(Boolean);
  return {
    text: `${title}: ${options.error.slice(0, 300)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: fields.join('\n') } },
    ],
    workflow: options.workflow,
    workflow_id: options.workflowId,
    run_id: options.runId ?? null,
    step: options.step,
    error: options.error,
    status_url: options.statusUrl ?? null,
  };
}

export async function alert(ctx: Context, options: AlertOptions): Promise<Outcome> {
  return timed(async () => {
    const fields = {
      workflow: options.workflow,
      workflowId: options.workflowId,
      runId: options.runId,
      step: options.step,
    };
    ctx.log.error(
      { ...fields, error: options.error },
      `ALERT: ${options.workflow} failed at ${options.step}`,
    );
    const url = ctx.config.alertWebhookUrl;
    if (!url) {
      return {
        status: 'ok',
        counts: { delivered: 0 },
        message: 'alert logged (ALERT_WEBHOOK_URL is not set)',
      };
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alertPayload(options)),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
      return { status: 'ok', counts: { delivered: 1 }, message: 'alert delivered to ALERT_WEBHOOK_URL' };
    } catch (error) {
      // The error text of a failed fetch can hold the URL; only its class and cause code are kept.
      const reason =
        error instanceof Error && error.message.startsWith('the webhook')
          ? error.message
          : `${(error as Error)?.name ?? 'Error'}${(error as { cause?: { code?: string } })?.cause?.code ? ` (${(error as { cause: { code: string } }).cause.code})` : ''}`;
      ctx.log.error({ ...fields, reason }, 'alert could not be delivered to ALERT_WEBHOOK_URL');
      return { status: 'warn', counts: { delivered: 0 }, message: `alert not delivered: ${reason}` };
    }
  });
}
