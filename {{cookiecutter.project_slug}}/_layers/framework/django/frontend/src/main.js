import "./main.css";

// Progressive enhancement: say how many notes there are, once the page has loaded.
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector(".notes");
  const summary = document.querySelector(".summary");
  if (list && summary) {
    const count = Number(list.dataset.count);
    summary.textContent = `${count} note${count === 1 ? "" : "s"} in all.`;
  }
});
