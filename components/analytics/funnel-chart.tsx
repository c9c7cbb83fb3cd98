"use client";

import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { PipelineFunnel } from "@/lib/samples/pipeline-funnel";

/** The paper's funnel, step by step, from counts the database aggregated. */
export function FunnelChart({ funnel }: { funnel: PipelineFunnel }) {
  const steps = [
    { step: "texts", count: funnel.texts },
    { step: "instructions", count: funnel.instructions },
    { step: "judged", count: funnel.judged },
    { step: "kept", count: funnel.kept },
    { step: "common", count: funnel.common },
    { step: "complex", count: funnel.complex },
    { step: "SFT", count: funnel.sft },
    { step: "DPO", count: funnel.dpo },
  ];
  return (
    <section className="panel chart-panel" aria-label="Pipeline funnel">
      <h3>Pipeline funnel</h3>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={steps} margin={{ top: 18, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="step" />
          <YAxis allowDecimals={false} width={56} />
          <Tooltip />
          <Bar dataKey="count" fill="#0f6e6e" isAnimationActive={false}>
            <LabelList dataKey="count" position="top" fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <p className="muted small">
        {funnel.textsFailed} texts failed · {funnel.noneKept} instructions dropped because both mentioned details · {funnel.otherKept} lost
        to their sibling · {funnel.labelled} kept samples labelled, {funnel.overridden} overridden by a curator
      </p>
    </section>
  );
}
