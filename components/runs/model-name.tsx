import { Fragment } from "react";

/**
 * A model id (`organisation/model-name`) that a narrow table may break only after a "/": each part stays
 * whole, so "simulated/finemed-sim" never splits at its hyphen.
 */
export function ModelName({ model }: { model: string }) {
  const parts = model.split("/");
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          <span className="model-part">{index < parts.length - 1 ? `${part}/` : part}</span>
        </Fragment>
      ))}
    </>
  );
}
