import { expect } from 'chai';
import { pageNumbers, pagerView } from '../../server/presenters/paging.ts';

describe('the pager', () => {
  it('names every page of a short list', () => {
    expect(pageNumbers(2, 4)).to.deep.equal([1, 2, 3, 4]);
  });

  it('names the first, the last and two either side of the current page, a gap (null) for the rest', () => {
    expect(pageNumbers(10, 20)).to.deep.equal([1, null, 8, 9, 10, 11, 12, null, 20]);
    expect(pageNumbers(1, 20)).to.deep.equal([1, 2, 3, null, 20]);
    expect(pageNumbers(20, 20)).to.deep.equal([1, null, 18, 19, 20]);
  });

  it('names a single left-out page instead of a gap standing for it', () => {
    expect(pageNumbers(5, 9)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pageNumbers(4, 20)).to.deep.equal([1, 2, 3, 4, 5, 6, null, 20]);
  });

  it('links every named page but the current one', () => {
    const pager = pagerView(3, 500, 50, (page) => `/list?page=${page}`)!;
    expect(pager.total).to.equal(500);
    expect(pager.links.map((link) => link.url)).to.deep.equal([
      '/list?page=1',
      '/list?page=2',
      null,
      '/list?page=4',
      '/list?page=5',
      null,
      '/list?page=10',
    ]);
    expect(pager.links.filter((link) => link.current).map((link) => link.page)).to.deep.equal([3]);
  });
});
