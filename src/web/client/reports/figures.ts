// How the reports write their figures: hours, shares, waits, names of classes and months.

export const hoursText = (h: number) => `${Math.round(h).toLocaleString('en-HK')} h`;
export const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)} %`);
export const waitText = (h: number | null) => (h === null ? '–' : h >= 48 ? `${(h / 24).toFixed(1)} d` : `${h.toFixed(1)} h`);
export const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const classNames: Record<string, string> = { institute: 'Institute', university: 'Universities', industry: 'Industry' };

