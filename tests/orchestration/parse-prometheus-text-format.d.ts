declare module 'parse-prometheus-text-format' {
  /** Parses Prometheus text exposition format into metric families (throws on malformed input). */
  export default function parsePrometheusTextFormat(
    text: string,
  ): Array<{ name: string; help: string; type: string; metrics: Array<Record<string, unknown>> }>;
}
