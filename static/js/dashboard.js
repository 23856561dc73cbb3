// The dashboard's charts and period selector. Each chart's figures come from a JSON block
// written by the server next to its canvas ({{ data|json_script }}); the table under the
// chart holds the same figures. No inline script: the CSP allows only files from static/.
(() => {
  "use strict";

  const language = document.documentElement.lang || undefined;
  const COLOURS = ["#0d6efd", "#6f42c1", "#198754", "#fd7e14", "#20c997", "#dc3545"];

  // Axis ticks are short ("CNY 2.5M", "250万"); tooltips and the tables give exact figures.
  function tickFormatter(chart) {
    const compact = new Intl.NumberFormat(language, { notation: "compact", maximumFractionDigits: 1 });
    return (value) => {
      if (chart.format === "money") {
        return `${chart.currency} ${compact.format(value)}`;
      }
      return chart.format === "percent" ? `${compact.format(value)} %` : compact.format(value);
    };
  }

  function formatter(chart) {
    const decimals = chart.format === "money" ? 2 : chart.format === "count" ? 0 : 1;
    const number = new Intl.NumberFormat(language, {
      minimumFractionDigits: chart.format === "money" ? decimals : 0,
      maximumFractionDigits: decimals,
    });
    return (value) => {
      if (value === null || value === undefined) {
        return "—";
      }
      if (chart.format === "money") {
        return `${chart.currency} ${number.format(value)}`;
      }
      return chart.format === "percent" ? `${number.format(value)} %` : number.format(value);
    };
  }

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const format = formatter(data);
    const valueAxis = data.horizontal ? "x" : "y";
    const labelAxis = data.horizontal ? "y" : "x";
    const scales = {
      [valueAxis]: {
        beginAtZero: true,
        ticks: { callback: tickFormatter(data) },
      },
      [labelAxis]: { ticks: { autoSkip: true } },
    };
    if (data.format === "percent") {
      scales[valueAxis].max = 100;
    }
    if (data.format === "count") {
      scales[valueAxis].ticks.precision = 0;
    }
    // A horizontal chart grows with its rows; the others keep a wide, short shape.
    const narrow = window.matchMedia("(max-width: 576px)").matches;
    const aspectRatio = data.horizontal
      ? Math.max(0.8, Math.min(3, 6 / Math.max(data.labels.length, 1)))
      : narrow ? 1.4 : 2.4;
    new window.Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map((dataset, index) => ({
          ...dataset,
          backgroundColor: COLOURS[index % COLOURS.length],
          borderColor: COLOURS[index % COLOURS.length],
        })),
      },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        aspectRatio,
        animation: false,
        scales,
        plugins: {
          legend: { display: data.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${format(item.raw)}`,
            },
          },
        },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // The period selector: a named period shows at once; dates mean a custom period.
  const form = document.getElementById("period-form");
  if (!form) {
    return;
  }
  const period = form.elements.period;
  const dates = [form.elements.start, form.elements.end];
  period.addEventListener("change", () => {
    if (period.value === "custom") {
      dates[0].focus();
      return;
    }
    dates.forEach((field) => {
      field.value = "";
    });
    form.requestSubmit();
  });
  dates.forEach((field) => {
    field.addEventListener("change", () => {
      period.value = "custom";
    });
  });
})();
