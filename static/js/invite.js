// CAP Portal, invitation and role forms: show the Party field for focal-point roles and the donor
// field for donor observers (the roles come from the form's data attributes). The server checks
// the combination anyway; without JavaScript both fields stay visible.
document.addEventListener("DOMContentLoaded", () => {
  const role = document.querySelector("[data-role-scope='role']");
  if (!role) return;
  const partyRoles = (role.dataset.partyRoles || "").split(" ");
  const donorRoles = (role.dataset.donorRoles || "").split(" ");
  const show = (name, visible) => {
    const field = document.querySelector(`[data-role-scope='${name}']`);
    const block = field && field.closest(".mb-3");
    if (!block) return;
    block.hidden = !visible;
    if (!visible) field.value = ""; // a hidden choice is not sent
  };
  const update = () => {
    show("party", partyRoles.includes(role.value));
    show("donor", donorRoles.includes(role.value));
  };
  role.addEventListener("change", update);
  update();
});
