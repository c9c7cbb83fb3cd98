/** A text field of a submitted form: FormData also holds files, which must never be read as "[object File]". */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
