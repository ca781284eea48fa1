// After a passkey is registered (django-otp-webauthn's script says so with an event), go on to
// the page the container names: the recovery codes, shown once.
document.addEventListener("otp_webauthn.register_complete", function () {
  const box = document.querySelector("[data-passkey-next]");
  if (box) {
    window.location.assign(box.getAttribute("data-passkey-next"));
  }
});
