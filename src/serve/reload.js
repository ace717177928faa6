// Added by `gongkai serve` to every HTML page it serves (never to built files):
// reloads the page after each rebuild, and lays the build errors over the page
// until a good save clears them.
(() => {
  const script = document.currentScript;
  const servedBuild = script.dataset.build;
  const OVERLAY = "gongkai-build-errors";

  function hide() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function show(errors) {
    hide();
    const box = document.createElement("section");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "生成错误");
    box.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#5c0000;border-top:4px solid #b00020;" +
      "font:16px/1.6 monospace;box-shadow:0 -4px 16px rgba(0,0,0,.25)";
    const title = document.createElement("h2");
    title.style.cssText = "margin:0 0 .5rem;font-size:1.1rem";
    title.textContent = `内容有 ${errors.length} 处错误,页面仍为上次成功生成的版本。改正后保存即可刷新:`;
    const list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.25rem";
    for (const e of errors) {
      const item = document.createElement("li");
      item.textContent = `${e.file}${e.line ? ":" + e.line : ""}: ${e.message}`;
      list.append(item);
    }
    box.append(title, list);
    document.body.append(box);
  }

  const events = new EventSource(script.dataset.events);
  // Lets tests (and the curious) see that the page is listening.
  events.addEventListener("open", () => (document.documentElement.dataset.gongkaiLive = "connected"));
  events.addEventListener("status", (event) => {
    const status = JSON.parse(event.data);
    if (status.errors.length > 0) {
      show(status.errors);
    } else if (status.build !== servedBuild) {
      location.reload();
    } else {
      hide();
    }
  });
})();
