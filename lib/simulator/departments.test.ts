import { describe, expect, it } from "vitest";
import { votePrimary, voteWithinGroup } from "./departments";

describe("the simulator's department vote", () => {
  it("reads a short keyword as a whole word: 'early' and 'gumption' are not ENT or dentistry", () => {
    expect(votePrimary("relies on follow-up to catch complications early")).toBeUndefined();
    expect(voteWithinGroup("Otorhinolaryngology", "it takes gumption to start early").secondary).toBeUndefined();
    expect(voteWithinGroup("Otorhinolaryngology", "pain in both ears after a cold").secondary).toBe("Otorhinolaryngology (ENT)");
    expect(voteWithinGroup("Otorhinolaryngology", "bleeding gums").secondary).toBe("Dentistry (Oral Medicine)");
  });

  it("keeps longer keywords as word prefixes", () => {
    expect(votePrimary("a diabetic patient with poor glycaemic control")).toBe("Internal Medicine");
    expect(votePrimary("ovarian torsion in an adult")).toBe("Obstetrics and Gynecology");
  });

  it("names Surgery from surgical wording alone, and lets a clear specialty outweigh it", () => {
    expect(votePrimary("what are the complications of this surgery")).toBe("Surgery");
    expect(votePrimary("tonsillectomy for recurrent tonsillitis: tonsil size and throat infections")).toBe("Otorhinolaryngology");
  });
});
