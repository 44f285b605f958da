// Package dataclass names the classes of data a municipal process or an AI
// run handles: öffentlich, intern, personenbezogen, besondere Kategorien
// (Art. 9 DSGVO), Sozialdaten (§ 35 SGB I, § 67 SGB X) and VS-NfD.
//
// The ids are the interchange vocabulary shared by the process survey
// (column `datenklasse`), the AI policy (which tool may see which class)
// and the KI-Test (the class of the test inputs). Labels are message ids,
// rendered late in the user's language.
package dataclass
