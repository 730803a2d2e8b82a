// CAP Portal: searchable selects. A <select data-searchable> (the Party filters) becomes a Tom Select
// (static/vendor/tom-select): type a few letters of a name, pick it. Without JavaScript, or
// without Tom Select, it stays the plain select, which submits the same values.
// The widget's words come translated from the page: the data- attributes of this script's tag
// (templates/base.html), never English written here.
(() => {
  const texts = document.currentScript ? document.currentScript.dataset : {};

  const enhance = (select) => {
    const settings = {
      maxOptions: null, // every option (there are 184 Parties), not Tom Select's first 50
      placeholder: texts.placeholder || "",
      hidePlaceholder: true,
      render: {
        no_results: (_data, escape) => `<div class="no-results">${escape(texts.noResults || "")}</div>`,
      },
    };
    if (select.multiple) {
      settings.plugins = { remove_button: { title: texts.remove || "" } };
    }
    const widget = new window.TomSelect(select, settings);
    // The original select stays in the page (clipped, out of the tab order) to submit the
    // values; screen readers must meet only the combobox that the label now names.
    select.setAttribute("aria-hidden", "true");
    return widget;
  };

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof window.TomSelect !== "function") {
      return;
    }
    document.querySelectorAll("select[data-searchable]").forEach(enhance);
  });
})();
