// "Copy" buttons: data-copy names the input whose value goes to the clipboard.
document.addEventListener("click", async (event) => {
  const button = event.target.closest(".js-copy");
  if (!button) {
    return;
  }
  const input = document.getElementById(button.dataset.copy);
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    return; // no clipboard (an insecure page): the text stays selected to copy by hand
  }
  const label = button.querySelector("span");
  if (label && button.dataset.copied) {
    label.textContent = button.dataset.copied;
  }
});
